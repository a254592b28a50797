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
        if (batonDir is not null && Path.GetFileName(Environment.ProcessPath) == "baton") path = $"{batonDir}:{path}";
        return new Dictionary<string, string>(StringComparer.Ordinal) { ["PATH"] = path, ["HOME"] = "/nonexistent" };
    }
}
