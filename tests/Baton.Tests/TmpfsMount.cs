using System.Diagnostics;

namespace Baton.Tests;

/// <summary>A small tmpfs at a fresh folder, for one test: a disk that an agent can fill. Needs root (CI runs as root).</summary>
public sealed class TmpfsMount : IDisposable
{
    public TmpfsMount(string size, string? path = null)
    {
        Path = path
            ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "baton-full-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
        using var mount = Process.Start("mount", ["-t", "tmpfs", "-o", $"size={size},mode=0755", "tmpfs", Path])!;
        mount.WaitForExit();
        Mounted = mount.ExitCode == 0;
    }

    public string Path { get; }
    public bool Mounted { get; }

    /// <summary>Writes zeros to path until the disk refuses more.</summary>
    public static async Task FillAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[4096];
        try
        {
            while (true)
                await file.WriteAsync(block);
        }
        catch (IOException) { }
    }

    public void Dispose()
    {
        if (Mounted)
            Process.Start("umount", ["-l", Path])!.WaitForExit();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException) { }
    }
}
