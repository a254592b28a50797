using System.Globalization;
using Baton.Agents.Processes;

namespace Baton.Isolation;

/// <summary>
/// posix_spawn can neither put the child in a cgroup nor change its user, and moving the child in
/// after the spawn would let its first instructions run unconfined. So the child is spawned as a
/// confining prologue that joins the cgroups, sets rlimits and drops to the workspace user, then
/// execs the agent under the same pid. Preferred: the static baton-confine helper built next to
/// this assembly (one extra exec, ~0.3 ms here); without it: /bin/sh, plus setpriv to change user
/// (~0.6 ms + ~1.3 ms).
/// </summary>
internal static class ConfineCommand
{
    public static readonly string? Helper = FindHelper();

    public const string SetPriv = "/usr/bin/setpriv";

    private static string? FindHelper()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "baton-confine");
        return
            OperatingSystem.IsLinux()
            && File.Exists(path)
            && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0
            ? path
            : null;
    }

    /// <param name="rlimits">Limits to set as rlimits (only where cgroups are not in force).</param>
    /// <param name="hideProcesses">Give the agent a /proc of its own that lists only its user's processes (ProcessHiding).</param>
    /// <param name="privateTmp">A folder the agent sees as /tmp, /var/tmp and /dev/shm (its workspace's tmp/), or null for the host's.</param>
    public static ProcessSpec Wrap(
        ProcessSpec spec,
        IEnumerable<string> cgroupProcsFiles,
        ResourceLimits? rlimits,
        WorkspaceUser? user,
        string? helper,
        bool hideProcesses,
        string? privateTmp = null
    )
    {
        var agent = CommandResolver.Resolve(spec.Executable, spec.Environment, spec.WorkingDirectory);
        return helper is not null
            ? spec with
            {
                Executable = helper,
                Arguments =
                [
                    .. HelperArguments(cgroupProcsFiles, rlimits, user, hideProcesses, privateTmp),
                    "--",
                    agent,
                    .. spec.Arguments,
                ],
            }
            : spec with
            {
                Executable = "/bin/sh",
                Arguments =
                [
                    .. ShellArguments(cgroupProcsFiles, rlimits, user, hideProcesses, privateTmp),
                    agent,
                    .. spec.Arguments,
                ],
            };
    }

    private static IEnumerable<string> HelperArguments(
        IEnumerable<string> procsFiles,
        ResourceLimits? rlimits,
        WorkspaceUser? user,
        bool hideProcesses,
        string? privateTmp
    )
    {
        foreach (var file in procsFiles)
            yield return $"-j{file}";
        if (rlimits?.MemoryBytes is { } bytes)
            yield return Invariant($"-a{bytes}");
        if (rlimits?.MaxProcesses is { } count)
            yield return Invariant($"-n{count}");
        if (hideProcesses)
            yield return "-p";
        if (privateTmp is not null)
            yield return $"-t{privateTmp}";
        if (user is not null)
        {
            yield return Invariant($"-u{user.Uid}");
            yield return Invariant($"-g{user.Gid}");
        }
    }

    public const string Unshare = "/usr/bin/unshare";

    /// <summary>
    /// sh -c SCRIPT baton-confine FILE... -- [unshare … sh -c MOUNTS baton-confine TMP] [setpriv …] AGENT ARG…:
    /// files and folders are arguments, never spliced into a script. The private /proc and /tmp are
    /// baton-confine -p and -t done with util-linux: a mount namespace whose mounts do not propagate
    /// back, a hidepid /proc and the workspace's tmp/ bound over the shared temp folders in it.
    /// </summary>
    private static IEnumerable<string> ShellArguments(
        IEnumerable<string> procsFiles,
        ResourceLimits? rlimits,
        WorkspaceUser? user,
        bool hideProcesses,
        string? privateTmp
    )
    {
        var script = "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 125; shift; done; shift\n";
        if (rlimits?.MemoryBytes is { } bytes)
            script += Invariant($"ulimit -v {bytes / 1024} || exit 125\n");
        if (rlimits?.MaxProcesses is { } count)
            script += Invariant($"ulimit -p {count} || exit 125\n");
        script += "exec \"$@\"\n";
        string[] head = ["-c", script, "baton-confine", .. procsFiles, "--"];
        if (hideProcesses || privateTmp is not null)
        {
            var mounts = "";
            if (hideProcesses)
                mounts += "mount -t proc -o hidepid=invisible,nosuid,nodev,noexec proc /proc || exit 125\n";
            // Through an open descriptor, not the path: the folder may lie under /tmp itself (as baton-confine -t).
            if (privateTmp is not null)
                mounts +=
                    "exec 3<\"$1\" || exit 125\nfor t in /tmp /var/tmp /dev/shm; do case \"$1\" in \"$t\"/*) continue;; esac; [ ! -e \"$t\" ] || mount --no-canonicalize --bind /proc/self/fd/3 \"$t\" || exit 125; done\nexec 3<&-\n";
            head =
            [
                .. head,
                Unshare,
                "--mount",
                "--propagation",
                "slave",
                "--",
                "/bin/sh",
                "-c",
                mounts + "shift\nexec \"$@\"\n",
                "baton-confine",
                privateTmp ?? "",
            ];
        }
        return user is null
            ? head
            :
            [
                .. head,
                SetPriv,
                Invariant($"--reuid={user.Uid}"),
                Invariant($"--regid={user.Gid}"),
                "--clear-groups",
                "--no-new-privs",
                "--",
            ];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
