using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Baton.Isolation;

/// <summary>
/// Each workspace's agents run as a system user of their own (SPEC §6), so the kernel keeps one
/// tenant's processes out of another's files, /proc/PID/environ included.
/// </summary>
public sealed record WorkspaceUser(string Name, int Uid, int Gid)
{
    private static readonly Lock Gate = new();

    /// <summary>baton-&lt;workspace&gt;, cut to Linux's 32 characters with a hash when needed.</summary>
    public static string NameFor(string workspace)
    {
        var name = $"baton-{workspace}";
        if (name.Length <= 32) return name;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(workspace)))[..8];
        return $"{name[..23]}-{hash}";
    }

    /// <summary>Creates the user if it does not exist (needs root) and returns its ids.</summary>
    /// <exception cref="InvalidOperationException">The user cannot be created or read.</exception>
    public static WorkspaceUser Ensure(string workspace)
    {
        var name = NameFor(workspace);
        lock (Gate)
        {
            if (Lookup(name) is { } existing) return existing;
            Run("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", "--user-group", name);
            return Lookup(name) ?? throw new InvalidOperationException($"created user '{name}' but cannot read its ids");
        }
    }

    private static WorkspaceUser? Lookup(string name)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var f = line.Split(':');
            if (f.Length > 3 && f[0] == name) return new WorkspaceUser(name, int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture));
        }
        return null;
    }

    private static void Run(string command, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed: {stderr.Trim()}");
    }

    /// <summary>Gives the user a folder (and nothing above it): its agents' working, output and inbox folders.</summary>
    public void Own(string path) => Chown(path, Uid, Gid);

    public static void Chown(string path, int uid, int gid)
    {
        if (Native.lchown(path, uid, gid) != 0)
            throw new IOException($"cannot hand '{path}' to uid {uid}: {System.Runtime.InteropServices.Marshal.GetLastPInvokeErrorMessage()}");
    }
}

internal static partial class Native
{
    [System.Runtime.InteropServices.LibraryImport("libc", SetLastError = true, StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    public static partial int lchown(string path, int owner, int group);
}
