namespace Baton.Agents;

/// <summary>
/// The clean environment of SPEC §2: agents see PATH, HOME, the BATON_ variables, their `env:` and
/// their declared secrets — nothing else of the engine's environment.
/// </summary>
public static class AgentEnvironment
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>PATH (with the baton executable's folder first, so scripts can call `baton emit`) and HOME.</summary>
    public static IReadOnlyDictionary<string, string> FromCurrentProcess()
    {
        var path = Environment.GetEnvironmentVariable("PATH") is { Length: > 0 } p ? p : DefaultPath;
        var batonDir = Path.GetDirectoryName(Environment.ProcessPath);
        if (
            batonDir is not null
            && Path.GetFileName(Environment.ProcessPath) == "baton"
            && !path.Split(':').Contains(batonDir)
        )
            path = $"{batonDir}:{path}";
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = path,
            ["HOME"] = Environment.GetEnvironmentVariable("HOME") ?? "/",
        };
    }

    /// <summary>Environment variable name for an input or agent: upper-cased, '-' becomes '_'.</summary>
    public static string VariableName(string prefix, string name) => prefix + name.ToUpperInvariant().Replace('-', '_');
}
