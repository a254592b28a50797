using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Baton.Isolation;

/// <summary>
/// Each workspace's agents run as a system user of their own (SPEC §6), so the kernel keeps one
/// tenant's processes out of another's files and /proc/PID/environ (a process's environ is
/// readable only by its own uid, or root: no hidepid needed). The server calls Ensure when it
/// creates or opens a workspace; WorkspaceFolders decides what that user may touch.
/// </summary>
public sealed record WorkspaceUser(string Name, int Uid, int Gid)
{
    private static readonly Lock Gate = new();

    /// <summary>
    /// baton-&lt;workspace&gt; when that is a valid name of at most 32 characters (Linux's limit);
    /// otherwise a safe, shortened form plus a hash of the original, so two workspaces never share a user.
    /// </summary>
    public static string NameFor(string workspace)
    {
        var safe = new string([
            .. workspace
                .ToLowerInvariant()
                .Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' ? c : '-'),
        ]);
        var name = $"baton-{safe}";
        if (name.Length <= 32 && safe == workspace)
            return name;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(workspace)))[..8];
        return $"{name[..Math.Min(name.Length, 23)]}-{hash}";
    }

    /// <summary>Creates the user (and its group) if it does not exist, and returns its ids.</summary>
    /// <exception cref="InvalidOperationException">Not root, or useradd failed.</exception>
    public static WorkspaceUser Ensure(string workspace)
    {
        var name = NameFor(workspace);
        lock (Gate)
        {
            if (Lookup(name) is { } existing)
                return existing;
            if (!Environment.IsPrivilegedProcess)
                throw new InvalidOperationException(
                    $"cannot create user '{name}' for workspace '{workspace}': only root can; run the server as root or without per-workspace users"
                );
            Run(
                "useradd",
                "--system",
                "--no-create-home",
                "--home-dir",
                "/nonexistent",
                "--shell",
                "/usr/sbin/nologin",
                "--user-group",
                name
            );
            return Lookup(name)
                ?? throw new InvalidOperationException($"created user '{name}' but cannot find it in /etc/passwd");
        }
    }

    public static WorkspaceUser? Lookup(string name)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var f = line.Split(':');
            if (f.Length > 3 && f[0] == name)
                return new WorkspaceUser(
                    name,
                    int.Parse(f[2], CultureInfo.InvariantCulture),
                    int.Parse(f[3], CultureInfo.InvariantCulture)
                );
        }
        return null;
    }

    private static void Run(string command, params string[] args)
    {
        using var process = Process.Start(
            new ProcessStartInfo(command, args) { RedirectStandardError = true, RedirectStandardOutput = true }
        )!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed: {stderr.Trim()}");
    }

    /// <summary>Gives the user one path (not what is inside it); a symlink is changed itself, never followed.</summary>
    public void Own(string path) => Chown(path, Uid, Gid);

    public static void Chown(string path, int uid, int gid)
    {
        if (Libc.lchown(path, uid, gid) != 0)
            throw new IOException(
                $"cannot hand '{path}' to uid {uid}: {System.Runtime.InteropServices.Marshal.GetLastPInvokeErrorMessage()}"
            );
    }
}
