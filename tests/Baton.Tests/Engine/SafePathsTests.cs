using Baton.Runs;

namespace Baton.Tests.Engine;

/// <summary>The folder checks every agent start makes, on real folders and links.</summary>
public class SafePathsTests
{
    [Fact]
    public void MakesEveryMissingFolder_AndAcceptsExistingOnes()
    {
        using var ws = new TestWorkspace();
        var made = SafePaths.EnsureDirectory(ws.Root, "agents/review/attempts/2");

        Assert.Equal(Path.Combine(ws.Root, "agents", "review", "attempts", "2"), made);
        Assert.True(Directory.Exists(made));
        Assert.Equal(made, SafePaths.EnsureDirectory(ws.Root, "agents/review/attempts/2"));
    }

    [Fact]
    public void ASymlinkAnywhereOnThePath_IsRefused_AndNothingIsMadeThroughIt()
    {
        using var ws = new TestWorkspace();
        using var outside = new TestWorkspace();
        Directory.CreateDirectory(Path.Combine(ws.Root, "agents"));
        Directory.CreateSymbolicLink(Path.Combine(ws.Root, "agents", "review"), outside.Root);

        var error = Assert.Throws<UnsafePathException>(() =>
            SafePaths.EnsureDirectory(ws.Root, "agents/review/attempts")
        );

        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside.Root));
    }

    [Fact]
    public void ADanglingSymlink_IsRefusedToo()
    {
        using var ws = new TestWorkspace();
        File.CreateSymbolicLink(Path.Combine(ws.Root, "work"), "/nonexistent/baton-test");

        Assert.Throws<UnsafePathException>(() => SafePaths.EnsureDirectory(ws.Root, "work"));
    }

    [Fact]
    public void AFileWhereAFolderShouldBe_IsAClearError()
    {
        using var ws = new TestWorkspace();
        ws.Write("work", "not a folder");

        var error = Assert.Throws<IOException>(() => SafePaths.EnsureDirectory(ws.Root, "work/sub"));
        Assert.Contains("not a folder", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../escape")]
    [InlineData("/etc")]
    public void PathsLeavingTheRoot_AreRefused(string relative)
    {
        using var ws = new TestWorkspace();
        Assert.Throws<UnsafePathException>(() => SafePaths.EnsureDirectory(ws.Root, relative));
    }

    [Fact]
    public async Task ManyCallersAtOnce_AllSucceed()
    {
        using var ws = new TestWorkspace();
        await Task.WhenAll(
            Enumerable.Range(0, 16).Select(_ => Task.Run(() => SafePaths.EnsureDirectory(ws.Root, "a/b/c/d")))
        );
        Assert.True(Directory.Exists(Path.Combine(ws.Root, "a", "b", "c", "d")));
    }
}
