using Baton.Chains;
using Baton.Runs;
using Baton.Tests.Chains;
using Baton.Tests.Events;

namespace Baton.Tests.Engine;

/// <summary>
/// `workdir:` on the chain or on one agent; an absolute one for `baton run` only (docs/chains.md, Working folder;
/// docs/security.md). The server's refusal is tested in Baton.Server.Tests (WorkspaceFolderAttackTests).
/// </summary>
public sealed class WorkdirTests : IDisposable
{
    private readonly string _outside = Directory.CreateTempSubdirectory("baton-workdir-").FullName;

    public void Dispose() => Directory.Delete(_outside, recursive: true);

    [Fact]
    public async Task AgentWorkdir_OverridesTheChains_UnderWork()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: folders
            workdir: work/shared
            agents:
              a: { run: pwd > where }
              b: { workdir: work/b/own, run: pwd > where }
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal(
            Path.Combine(ws.Root, "work", "shared"),
            File.ReadAllText(Path.Combine(ws.Root, "work", "shared", "where")).Trim()
        );
        Assert.Equal(
            Path.Combine(ws.Root, "work", "b", "own"),
            File.ReadAllText(Path.Combine(ws.Root, "work", "b", "own", "where")).Trim()
        );
        Assert.False(File.Exists(Path.Combine(run.Work, "where")));
    }

    [Fact]
    public async Task AbsoluteWorkdir_BatonRun_AgentWorksThere_MadeIfMissing()
    {
        using var ws = new TestWorkspace();
        var project = Path.Combine(_outside, "project");
        var (_, outcome) = await ws.RunAsync(
            $"""
            name: laptop
            agents:
              a: {"{"} workdir: {project}, run: pwd > where {"}"}
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal(project, File.ReadAllText(Path.Combine(project, "where")).Trim());
    }

    [Fact]
    public async Task AbsoluteWorkdir_EngineThatRefusesIt_FailsTheAgent_NothingWrittenThere()
    {
        using var ws = new TestWorkspace();
        var project = Path.Combine(_outside, "project");
        var run = await ws.CreateRunAsync($"name: served\nworkdir: {project}\nagents:\n  a: {{ run: touch mine }}\n");

        var outcome = await new RunEngine(ws.Workspace, new EngineOptions { AllowAbsoluteWorkdir = false })
            .RunAsync(run)
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(RunStatus.Failed, outcome.Status);
        var failed = EngineProbe.Single(run, "a.failed");
        Assert.Equal("unsafe-path", failed.GetString("reason"));
        Assert.Contains("only 'baton run' may work outside the workspace", failed.GetString("message"));
        Assert.False(Directory.Exists(project));
    }

    [Fact]
    public void AbsoluteWorkdir_ValidForBatonRun_NotedAsAServerError_AtItsLine()
    {
        var chain = ChainYaml.Load("name: t\nagents:\n  a:\n    workdir: /srv/project\n    run: \"true\"\n");

        Assert.Equal("/srv/project", chain.Agents[0].Workdir);
        var error = Assert.Single(chain.ServerErrors);
        ChainYaml.AssertAt(error, 4, 14);
        Assert.Contains("only 'baton run' may work outside the workspace", error.Message);
    }

    [Theory]
    [InlineData("workdir: /srv/../etc", "contains '..'")]
    [InlineData("workdir: checkout", "is not under work/")]
    [InlineData("workdir: work/../chains", "contains '..'")]
    public void AgentWorkdir_CheckedAsTheChains(string line, string message)
    {
        var error = Assert.Single(ChainYaml.Errors($"name: t\nagents:\n  a:\n    {line}\n    run: \"true\"\n"));

        Assert.Contains(message, error.Message);
        ChainYaml.AssertAt(error, 4, 14);
    }

    [Fact]
    public void AgentWorkdir_OnAPromptAgent_IsAnError()
    {
        var error = Assert.Single(ChainYaml.Errors("name: t\nagents:\n  a:\n    prompt: hi\n    workdir: work/x\n"));

        Assert.Contains("only run and cli agents work in a folder", error.Message);
        ChainYaml.AssertAt(error, 5, 5);
    }
}
