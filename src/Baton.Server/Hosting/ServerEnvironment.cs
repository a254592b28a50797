using Baton.Agents;
using Baton.Chains;
using Baton.Providers;

namespace Baton.Server.Hosting;

/// <summary>
/// In server mode agents start from a fixed environment, never the server's own: a tenant's script
/// must not see the server's variables (API keys, tokens).
/// </summary>
public static class ServerEnvironment
{
    public static IReadOnlyDictionary<string, string> ForAgents()
    {
        var batonDir = Path.GetDirectoryName(Environment.ProcessPath);
        var path = Agents.AgentEnvironment.DefaultPath;
        if (batonDir is not null && Path.GetFileName(Environment.ProcessPath) == "baton")
            path = $"{batonDir}:{path}";
        return new Dictionary<string, string>(StringComparer.Ordinal) { ["PATH"] = path, ["HOME"] = "/nonexistent" };
    }

    /// <summary>
    /// Runners for server mode: prompt agents resolve ${env:NAME} only for names the operator
    /// allow-listed (a tenant must not read the server's environment, its API keys above all), and
    /// ${secret:NAME} with the server's master key.
    /// </summary>
    public static IReadOnlyDictionary<AgentKind, IAgentRunner> Runners(DataRoot data, ServerSettings settings) =>
        new Dictionary<AgentKind, IAgentRunner>
        {
            [AgentKind.Run] = new BashAgent(),
            [AgentKind.Cli] = new CliAgent(),
            [AgentKind.Prompt] = new PromptAgent(
                new ProviderOptions
                {
                    Environment = name =>
                        settings.AllowedEnvironment.Contains(name) ? Environment.GetEnvironmentVariable(name) : null,
                    MasterKeyPath = data.MasterKeyPath,
                }
            ),
            [AgentKind.Chain] = new SubChainAgent(),
        };
}
