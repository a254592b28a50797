using System.Text;
using Baton.Chains;
using Baton.Tests.Cli;

namespace Baton.Tests.Chains;

/// <summary>Issue 11 item 4: a chain past the documented caps gets one clear error, before work proportional to it.</summary>
public class ChainLimitsTests
{
    private static string Agents(int count, Func<int, string>? extra = null)
    {
        var sb = new StringBuilder("name: big\nagents:\n");
        for (var i = 0; i < count; i++)
            sb.Append($"  a{i}:\n    run: \"true\"\n{extra?.Invoke(i) ?? ""}");
        return sb.ToString();
    }

    [Fact]
    public void MoreAgentsThanTheCap_IsOneErrorAtTheAgentsKey()
    {
        var errors = ChainYaml.Errors(Agents(ChainLimits.MaxAgents + 1));
        var error = Assert.Single(errors);
        Assert.Equal(
            "'agents' has 5,001 agents; a chain may have at most 5,000 (docs/chains.md, Limits)",
            error.Message
        );
        ChainYaml.AssertAt(error, 2, 1);
    }

    [Fact]
    public void AtTheCap_TheChainLoads_AndALoopAmongThousandsIsReportedOnce()
    {
        Assert.Equal(ChainLimits.MaxAgents, ChainYaml.Load(Agents(ChainLimits.MaxAgents)).Agents.Count);

        // a0 waits for the last agent, which (implicitly) waits for the one before it, and so on: one loop of 5,000.
        var looped = Agents(ChainLimits.MaxAgents, i => i == 0 ? $"    needs: [a{ChainLimits.MaxAgents - 1}]\n" : "");
        var error = Assert.Single(ChainYaml.Errors(looped));
        Assert.StartsWith(
            $"cycle: a0 -> a{ChainLimits.MaxAgents - 1} -> a{ChainLimits.MaxAgents - 2} -> ",
            error.Message
        );
    }

    [Fact]
    public void ManyListenersOfAnEventManyAgentsEmit_StartAndUseUpstreamOutputs()
    {
        // 2,000 emitters × 2,000 listeners was 4 million edges; now one event node.
        var sb = new StringBuilder("name: big\nagents:\n");
        for (var i = 0; i < 2_000; i++)
            sb.Append($"  e{i}:\n    needs: []\n    emits: tick\n    run: \"true\"\n");
        for (var i = 0; i < 2_000; i++)
            sb.Append(
                $"  l{i}:\n    on: [tick]\n    needs: [e{i}]\n    cli: claude\n    task: \"{{{{ agents.e{i}.output }}}}\"\n"
            );
        var chain = ChainYaml.Load(sb.ToString());
        Assert.Equal(4_000, chain.Agents.Count);
    }

    [Fact]
    public void ATemplateUsingAnOutputItDoesNotWaitFor_IsStillAnError()
    {
        var errors = ChainYaml.Errors(
            """
            name: t
            agents:
              a: { run: "true", needs: [] }
              b: { run: "true", needs: [] }
              c: { cli: claude, task: "{{ agents.a.output }} {{ agents.b.output }}", needs: [b] }
            """
        );
        Assert.Contains("uses {{ agents.a.output }} but 'c' does not wait for 'a'", Assert.Single(errors).Message);
    }

    [Fact]
    public void LargerThanTheByteCap_IsRefusedBeforeParsing()
    {
        var error = Assert.Single(
            ChainYaml.Errors("name: big\n# " + new string('x', ChainLimits.MaxBytes) + "\nagents: {}\n")
        );
        Assert.StartsWith("the chain file is 1,048,600 bytes; a chain may be at most 1,048,576 bytes", error.Message);
    }

    [Fact]
    public void NestedDeeperThanTheCap_IsOneYamlError()
    {
        var error = Assert.Single(
            ChainYaml.Errors(
                "name: deep\nagents:\n  a:\n    run: \"true\"\n    env: "
                    + new string('[', 100_000)
                    + new string(']', 100_000)
                    + "\n"
            )
        );
        Assert.Contains("nested more than 32 levels deep", error.Message);
    }

    [Fact]
    public async Task BatonValidate_OfAChainOverTheCap_ExitsTwo_WithTheError()
    {
        using var ws = new TestWorkspace();
        File.WriteAllText(Path.Combine(ws.Root, "big.yaml"), Agents(ChainLimits.MaxAgents + 1));
        var result = await BatonCli.RunAsync(ws.Root, "validate", "big.yaml");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(
            "big.yaml:2:1: 'agents' has 5,001 agents; a chain may have at most 5,000",
            result.Stderr,
            StringComparison.Ordinal
        );
    }
}
