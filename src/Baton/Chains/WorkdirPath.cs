namespace Baton.Chains;

/// <summary>
/// What a chain's `workdir:` may name: a folder under the workspace's <c>work/</c>, e.g. <c>work/checkout</c>.
/// The folder is handed to the workspace's agent user, so it must never be one of Baton's own
/// (<c>.baton</c>, <c>chains</c>, <c>runs</c>, …) nor the workspace itself: an agent that owns one
/// of those can swap it for a link that root then follows (docs/security.md).
/// </summary>
internal static class WorkdirPath
{
    public const string Subtree = "work";

    /// <summary>Names in a workspace's top level that Baton uses itself.</summary>
    private static readonly string[] Reserved =
    [
        ".baton",
        "chains",
        "runs",
        "prompts",
        "home",
        "tmp",
        "baton.yaml",
        "audit.jsonl",
    ];

    /// <summary>
    /// An absolute folder (`/home/me/project`): only `baton run` works there — a single user on their own machine.
    /// A server refuses it (Chain.ServerErrors, and the engine again when it starts the agent): its agents stay
    /// beneath their workspace (docs/security.md).
    /// </summary>
    public static bool IsAbsolute(string value) => value.StartsWith('/');

    /// <summary>What a server says of an absolute workdir.</summary>
    public static string ServerRefusal(string value) =>
        $"workdir '{value}' is an absolute folder: only 'baton run' may work outside the workspace; on a server agents work in a folder under the workspace's {Subtree}/, e.g. {Subtree}/checkout (docs/security.md)";

    /// <summary>A problem description, or null when the value is acceptable.</summary>
    public static string? Check(string value)
    {
        if (IsAbsolute(value))
            return value.Contains('\0') ? "workdir contains a NUL character"
                : value.Split('/').FirstOrDefault(p => p is "." or "..") is { } dot
                    ? $"workdir '{value}' contains '{dot}'; write the folder's plain absolute path"
                : null;
        if (RelativePath.Check(value, "workdir") is { } problem)
            return $"{problem}; workdir names a folder under {Subtree}/, e.g. {Subtree}/checkout";
        var parts = value.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.All(p => p == "."))
            return $"workdir '{value}' is the workspace itself; name a folder under {Subtree}/, e.g. {Subtree}/checkout";
        if (parts.FirstOrDefault(p => p is "." or "..") is { } dots)
            return $"workdir '{value}' contains '{dots}'; write the folder's plain path under {Subtree}/";
        if (Reserved.Contains(parts[0]))
            return $"workdir '{value}' is Baton's own '{parts[0]}'; agents work in a folder under {Subtree}/, e.g. {Subtree}/checkout";
        if (parts[0] != Subtree || parts.Length < 2)
            return $"workdir '{value}' is not under {Subtree}/: agents work in a folder under the workspace's {Subtree}/, e.g. {Subtree}/{parts[^1]}";
        if (parts.FirstOrDefault(p => p.StartsWith('.') || p.Contains('\\')) is { } odd)
            return $"workdir '{value}': '{odd}' is not a plain folder name (no leading '.', no '\\')";
        return null;
    }
}
