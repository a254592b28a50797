using Baton.Runs;

namespace Baton.Tests.Engine;

/// <summary>A new run's folder, made relative to runs/ held open (finding 55 of docs/performance.md).</summary>
public sealed class RunCreatorTests : IDisposable
{
    private readonly TestWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task PromptFilesInNestedFolders_AreCopiedIntoTheRun_WithEveryAgentsFolders()
    {
        _ws.Write("prompts/team/a/ask.md", "Ask nicely.\n");
        _ws.Write("chains/other.md", "Other.\n");

        var run = await _ws.CreateRunAsync(
            """
            name: nested
            agents:
              ask:
                model: offline
                prompt: ../prompts/team/a/ask.md
              other:
                model: offline
                prompt: other.md
              tool:
                run: "true"
            """
        );

        Assert.Equal("Ask nicely.\n", File.ReadAllText(Path.Combine(run.Path, "prompts/prompts/team/a/ask.md")));
        Assert.Equal("Other.\n", File.ReadAllText(Path.Combine(run.Path, "prompts/other.md")));
        foreach (var folder in new[] { "events", "agents/ask", "agents/other", "agents/tool", "inbox/tool" })
            Assert.True(Directory.Exists(Path.Combine(run.Path, folder)), folder);
        Assert.Empty(Directory.EnumerateFileSystemEntries(run.AgentDir("ask"))); // its call records go beside its output
        Assert.Equal("{}", File.ReadAllText(run.InputsFile));
        Assert.True(File.Exists(Path.Combine(run.Path, "lock")));
        Assert.Empty(Directory.GetDirectories(_ws.Workspace.RunsRoot, ".new-*"));
    }

    [Fact]
    public async Task RunsFolderIsALink_IsRefused_AndNothingIsMadeWhereItLeads()
    {
        var elsewhere = Path.Combine(_ws.Root, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        File.CreateSymbolicLink(Path.Combine(_ws.Root, "runs"), elsewhere);

        await Assert.ThrowsAsync<UnsafePathException>(() =>
            _ws.CreateRunAsync("name: linked\nagents:\n  a:\n    run: \"true\"\n")
        );

        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
    }

    [Fact]
    public async Task NoRunsFolderYet_IsMade_AndTheRunCreatedInIt()
    {
        Assert.False(Directory.Exists(_ws.Workspace.RunsRoot));

        var run = await _ws.CreateRunAsync("name: first\nagents:\n  a:\n    run: \"true\"\n");

        Assert.Equal(_ws.Workspace.RunsRoot, Path.GetDirectoryName(run.Path));
        Assert.True(Directory.Exists(run.Events));
    }
}
