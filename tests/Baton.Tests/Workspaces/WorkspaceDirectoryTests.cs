using System.Diagnostics;
using Baton.Runs;
using Baton.Workspaces;

namespace Baton.Tests.Workspaces;

/// <summary>
/// The primitive every workspace file operation as root goes through: real links, a real FIFO, with
/// openat2 and with the O_NOFOLLOW walk used where the kernel has no openat2.
/// </summary>
public sealed class WorkspaceDirectoryTests : IDisposable
{
    private readonly TestWorkspace _ws = new();
    private readonly DirectoryInfo _outside = Directory.CreateTempSubdirectory("baton-wsdir-outside-");

    public WorkspaceDirectoryTests()
    {
        File.WriteAllText(Path.Combine(_outside.FullName, "secret.txt"), "outside-canary");
        _ws.Write("chains/real.yaml", "name: real\n");
        Directory.CreateSymbolicLink(Path.Combine(_ws.Root, "linked"), _outside.FullName);
        File.CreateSymbolicLink(
            Path.Combine(_ws.Root, "chains", "link.yaml"),
            Path.Combine(_outside.FullName, "secret.txt")
        );
        File.CreateSymbolicLink(Path.Combine(_ws.Root, "chains", "inside.yaml"), "real.yaml");
    }

    public void Dispose()
    {
        Libc.WalkOnThisThread = false;
        _outside.Delete(recursive: true);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadFile_ThroughAnyLink_IsRefused_AndAPlainFileIsRead(bool walk)
    {
        Libc.WalkOnThisThread = walk;

        Assert.Equal("name: real\n", WorkspaceDirectory.ReadText(_ws.Root, "chains/real.yaml"));
        Assert.Null(WorkspaceDirectory.ReadText(_ws.Root, "chains/missing.yaml"));
        Assert.Throws<UnsafePathException>(() => WorkspaceDirectory.ReadText(_ws.Root, "linked/secret.txt"));
        Assert.Throws<UnsafePathException>(() => WorkspaceDirectory.ReadText(_ws.Root, "chains/link.yaml"));
        Assert.Throws<UnsafePathException>(() => WorkspaceDirectory.ReadText(_ws.Root, "chains/inside.yaml"));
        Assert.Throws<UnsafePathException>(() => WorkspaceDirectory.ReadText(_ws.Root, "../x"));
        Assert.Throws<UnsafePathException>(() => WorkspaceDirectory.ReadText(_ws.Root, "/etc/passwd"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Append_MakesAMissingFolder_AppendsToAnExistingFile_AndRefusesEveryLink(bool walk)
    {
        Libc.WalkOnThisThread = walk;

        WorkspaceDirectory.Append(_ws.Root, ".baton/logs/a.jsonl", "1\n"u8, createParent: true);
        WorkspaceDirectory.Append(_ws.Root, ".baton/logs/a.jsonl", "2\n"u8, createParent: true);

        Assert.Equal("1\n2\n", File.ReadAllText(Path.Combine(_ws.Root, ".baton", "logs", "a.jsonl")));
        Assert.Throws<DirectoryNotFoundException>(() => WorkspaceDirectory.Append(_ws.Root, "none/a.jsonl", "x"u8));
        Assert.Throws<UnsafePathException>(() =>
            WorkspaceDirectory.Append(_ws.Root, "linked/secret.txt", "x"u8, createParent: true)
        );
        Assert.Throws<UnsafePathException>(() =>
            WorkspaceDirectory.Append(_ws.Root, "linked/new/a.jsonl", "x"u8, createParent: true)
        );
        Assert.Throws<UnsafePathException>(() => WorkspaceDirectory.Append(_ws.Root, "chains/link.yaml", "x"u8));
        Assert.Equal("outside-canary", File.ReadAllText(Path.Combine(_outside.FullName, "secret.txt")));
        Assert.False(Directory.Exists(Path.Combine(_outside.FullName, "new")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(200_000)] // more than one read
    public void ReadFile_ReadsTheWholeFile_UpToTheLimit_AndOneByteMoreToShowItIsTooBig(int size)
    {
        var bytes = Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(Path.Combine(_ws.Root, "data.bin"), bytes);
        Assert.Equal(bytes, WorkspaceDirectory.ReadFile(_ws.Root, "data.bin", maxBytes: size));
        Assert.Equal(bytes, WorkspaceDirectory.ReadFile(_ws.Root, "data.bin", maxBytes: 1 << 20));
        if (size == 0)
            return;
        Assert.Equal(bytes[..size], WorkspaceDirectory.ReadFile(_ws.Root, "data.bin", maxBytes: size - 1));
        Assert.Throws<IOException>(() => WorkspaceDirectory.ReadText(_ws.Root, "data.bin", maxBytes: size - 1));
    }

    [Fact]
    public void ReadFile_WithLinksInside_FollowsOnlyLinksThatStayInside()
    {
        Assert.Equal("name: real\n", WorkspaceDirectory.ReadText(_ws.Root, "chains/inside.yaml", linksInside: true));
        Assert.Throws<UnsafePathException>(() =>
            WorkspaceDirectory.ReadText(_ws.Root, "linked/secret.txt", linksInside: true)
        );
        Assert.Throws<UnsafePathException>(() =>
            WorkspaceDirectory.ReadText(_ws.Root, "chains/link.yaml", linksInside: true)
        );
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadFile_OfAFifo_IsRefusedWithoutBlocking(bool walk)
    {
        Libc.WalkOnThisThread = walk;
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(_ws.Root, "chains", "fifo.yaml")))
            mkfifo.WaitForExit();

        var error = Assert.Throws<UnsafePathException>(() => WorkspaceDirectory.ReadText(_ws.Root, "chains/fifo.yaml"));
        Assert.Contains("not a regular file", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WriteFile_NeverWritesThroughALink(bool walk)
    {
        Libc.WalkOnThisThread = walk;

        Assert.Throws<UnsafePathException>(() =>
            WorkspaceDirectory.WriteFile(_ws.Root, "linked/secret.txt", "pwned"u8)
        );
        WorkspaceDirectory.WriteFile(_ws.Root, "chains/link.yaml", "name: link\n"u8); // replaces the link itself

        Assert.Equal("outside-canary", File.ReadAllText(Path.Combine(_outside.FullName, "secret.txt")));
        Assert.Single(_outside.GetFiles());
        Assert.Null(new FileInfo(Path.Combine(_ws.Root, "chains", "link.yaml")).LinkTarget);
        Assert.Equal("name: link\n", File.ReadAllText(Path.Combine(_ws.Root, "chains", "link.yaml")));
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(_ws.Root, "chains")), f =>
            f.EndsWith(".tmp", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void WriteFile_CreatesItsParent_ButNotThroughALink()
    {
        WorkspaceDirectory.WriteFile(_ws.Root, ".baton/secrets.json", "{}"u8, mode: 0b110_000_000, createParent: true);

        Assert.Equal("{}", File.ReadAllText(Path.Combine(_ws.Root, ".baton", "secrets.json")));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(Path.Combine(_ws.Root, ".baton", "secrets.json"))
        );
        Assert.Throws<UnsafePathException>(() =>
            WorkspaceDirectory.WriteFile(_ws.Root, "linked/new/x.json", "{}"u8, createParent: true)
        );
        Assert.False(Directory.Exists(Path.Combine(_outside.FullName, "new")));
    }

    [Fact]
    public void Names_ListsOnlyRealFiles_AndAFolderLinkIsRefused()
    {
        Assert.Equal(["real.yaml"], WorkspaceDirectory.Names(_ws.Root, "chains"));
        Assert.Empty(WorkspaceDirectory.Names(_ws.Root, "nothing-here"));
        Assert.Throws<UnsafePathException>(() => WorkspaceDirectory.Names(_ws.Root, "linked"));
        Assert.True(WorkspaceDirectory.IsFile(_ws.Root, "chains/real.yaml"));
        Assert.False(WorkspaceDirectory.IsFile(_ws.Root, "chains/link.yaml"));
        Assert.False(WorkspaceDirectory.IsFolder(_ws.Root, "linked"));
    }
}
