using System.Globalization;

namespace Baton.Isolation;

/// <summary>
/// Whether an agent can be given a /proc that lists only its own user's processes (baton-confine
/// -p, or unshare + mount in the fallback). Other workspaces' command lines carry secrets, task
/// text, workspace names and run ids, so this is on wherever agents run as a workspace user. It
/// needs root (a mount namespace) and Linux 5.8, where every proc mount has its own hidepid; on an
/// older kernel mounting with hidepid would change the host's /proc instead, so it is not tried.
/// Agents of the same workspace share a user and do see each other: they hold the same secrets
/// and files already.
/// </summary>
public static class ProcessHiding
{
    private static readonly Lazy<string?> Missing = new(Check);

    public static bool Supported => Missing.Value is null;

    /// <summary>For `baton doctor` and the server's start line.</summary>
    public static string Describe() =>
        Missing.Value is { } why
            ? $"agents see every process on this machine in /proc ({why})"
            : "agents see only their own workspace's processes (a private /proc, hidepid=invisible)";

    private static string? Check()
    {
        if (!OperatingSystem.IsLinux())
            return "not Linux";
        if (!Environment.IsPrivilegedProcess)
            return "needs root";
        var release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        var parts = release.Split('.', 3);
        if (
            parts.Length < 2
            || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(
                new string([.. parts[1].TakeWhile(char.IsAsciiDigit)]),
                CultureInfo.InvariantCulture,
                out var minor
            )
        )
            return $"cannot read the kernel version '{release}'";
        return (major, minor).CompareTo((5, 8)) >= 0 ? null : $"Linux {release} has no per-mount hidepid (needs 5.8)";
    }
}
