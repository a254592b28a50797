using Baton.Chains;
using Baton.Workspaces;

namespace Baton.Tests.Workspaces;

public class WorkspaceConfigTests
{
    [Fact]
    public void FullFile_IsParsed()
    {
        using var ws = new TestWorkspace();
        ws.Write(
            "baton.yaml",
            """
            providers:
              default:
                type: openai
                base_url: http://127.0.0.1:8080/v1
                model: gpt-4o-mini
                api_key: ${env:OPENAI_API_KEY}
                timeout: 90s
              local: { type: ollama, model: llama3.2 }
            prices:
              gpt-4o-mini: { input: 0.15, output: 0.60, cached_input: 0.075 }
            limits:
              max_concurrent_runs: 20
              max_parallel_agents: 4
              agent_timeout: 10m
              agent_memory: 512Mi
            budget:
              monthly_usd: 50
            """
        );

        var config = ws.Workspace.Config;

        var provider = config.Providers["default"];
        Assert.Equal(
            ("openai", "http://127.0.0.1:8080/v1", "gpt-4o-mini", "${env:OPENAI_API_KEY}", TimeSpan.FromSeconds(90)),
            (provider.Type, provider.BaseUrl, provider.Model, provider.ApiKey, provider.Timeout)
        );
        Assert.Equal("ollama", config.Providers["local"].Type);
        Assert.Equal(0.075m, config.Prices["gpt-4o-mini"].CachedInput);
        Assert.Equal(
            (20, 4, TimeSpan.FromMinutes(10), 512L * 1024 * 1024),
            (
                config.Limits.MaxConcurrentRuns,
                config.Limits.MaxParallelAgents,
                config.Limits.AgentTimeout,
                config.Limits.AgentMemoryBytes
            )
        );
        Assert.Equal(50m, config.Budget!.MonthlyUsd);
        Assert.Contains("claude", config.Clis.Keys);
    }

    [Fact]
    public void Mistakes_AreReportedTogether_WithLocationsAndSuggestions()
    {
        using var ws = new TestWorkspace();
        ws.Write(
            "baton.yaml",
            """
            providers:
              default:
                type: opena
                base_ur: http://x
                api_key: ${envv:KEY}
            prices:
              gpt-4o: { input: cheap, output: 1 }
            limits:
              agent_memroy: 1Gi
            budgett:
              monthly_usd: 5
            """
        );

        var errors = Assert
            .Throws<ChainValidationException>(() => ws.Workspace)
            .Errors.Select(e => e.ToString())
            .ToList();

        Assert.Contains(errors, e =>
            e.Contains("baton.yaml:3:11", StringComparison.Ordinal)
            && e.Contains("did you mean 'openai'", StringComparison.Ordinal)
        );
        Assert.Contains(errors, e =>
            e.Contains(":4:5", StringComparison.Ordinal)
            && e.Contains("did you mean 'base_url'", StringComparison.Ordinal)
        );
        Assert.Contains(errors, e => e.Contains("${envv:KEY}", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'input' price of 'gpt-4o'", StringComparison.Ordinal));
        Assert.Equal(6, errors.Count); // one error per mistake, none repeated
        Assert.Contains(errors, e => e.Contains("did you mean 'agent_memory'", StringComparison.Ordinal));
        Assert.Contains(errors, e =>
            e.Contains(":10:1", StringComparison.Ordinal)
            && e.Contains("did you mean 'budget'", StringComparison.Ordinal)
        );
    }
}
