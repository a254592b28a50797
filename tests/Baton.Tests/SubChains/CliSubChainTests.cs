using Baton.Events;
using Baton.Runs;
using Baton.Tests.Cli;
using Baton.Tests.Engine;

namespace Baton.Tests.SubChains;

/// <summary>`chain:` agents through the real `baton` executable: decisions inside a child, and a killed engine.</summary>
public class CliSubChainTests
{
    private static List<RunFolder> Runs(TestWorkspace ws) =>
        Directory.Exists(Path.Combine(ws.Root, "runs")) ? [.. RunFolder.All(Path.Combine(ws.Root, "runs"))] : [];

    private static RunStarted? Started(RunFolder run) =>
        Directory.Exists(run.Events)
            ? EventReader.ReadAll(run.Events).Select(e => e.Body).OfType<RunStarted>().FirstOrDefault()
            : null;

    private static RunState State(RunFolder run) => RunState.Fold(EventReader.ReadAll(run.Events));

    [Fact]
    public async Task DecisionInsideTheChild_IsAnsweredWithBatonDecide_AndTheParentRunFinishes()
    {
        using var ws = new TestWorkspace();
        ws.Write(
            "chains/parent.yaml",
            "name: parent\nagents:\n  ship: { chain: release }\n  done: { run: echo shipped }\n"
        );
        ws.Write(
            "chains/release.yaml",
            "name: release\nagents:\n  build: { run: echo v1 }\n  approve: { decision: { show: 'ship {{ agents.build.output }}?' } }\n"
        );
        using var parent = BatonCli.Start(ws.Root, null, "run", "parent");
        RunFolder? child = null;
        await BatonCli.WaitUntil(
            () =>
                (child = Runs(ws).FirstOrDefault(r => Started(r)?.Parent is not null)) is not null
                && State(child).Status == RunStatus.Waiting,
            "the child to wait for its decision"
        );

        var decide = await BatonCli.RunAsync(ws.Root, "decide", child!.Id, "approve", "approve");
        await parent.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(decide.ExitCode == 0, decide.ToString());
        Assert.True(parent.ExitCode == 0, await parent.StandardError.ReadToEndAsync());
        Assert.Equal(RunStatus.Succeeded, State(child).Status);
        var top = Runs(ws).Single(r => r.Id != child.Id);
        Assert.Equal(RunStatus.Succeeded, State(top).Status);
        Assert.Equal(new ParentRun(top.Id, "ship", 1), Started(child)!.Parent);
    }

    [Fact]
    public async Task Kill9OfTheEngine_ThenResume_TheChainAgentReattachesToItsChild_NoSecondChild()
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/parent.yaml", "name: parent\nagents:\n  sub: { chain: slow }\n");
        ws.Write(
            "chains/slow.yaml",
            """
            name: slow
            agents:
              work:
                run: |
                  echo $$ >> "$BATON_RUN_DIR/pids"
                  if [ "$BATON_ATTEMPT" = 1 ]; then sleep 300; fi
                  echo "finished on attempt $BATON_ATTEMPT"
            """
        );
        using (var engine = BatonCli.Start(ws.Root, null, "run", "parent"))
        {
            await BatonCli.WaitUntil(
                () => Runs(ws).Any(r => File.Exists(Path.Combine(r.Path, "pids"))),
                "the child's agent to start"
            );
            engine.Kill(); // SIGKILL: parent and child engines (one process) die mid-run
            await engine.WaitForExitAsync();
        }
        var top = Runs(ws).Single(r => Started(r)?.Parent is null);
        var child = Runs(ws).Single(r => r.Id != top.Id);
        var oldPid = EngineProbe.ReadPids(Path.Combine(child.Path, "pids")).Single();

        var resume = await BatonCli.RunAsync(ws.Root, "resume", top.Id);

        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Equal(2, Runs(ws).Count); // the same child, not a second one
        Assert.Equal(RunStatus.Succeeded, State(child).Status);
        Assert.Equal("finished on attempt 2\n", File.ReadAllText(top.AgentOutput("sub")));
        var starts = EventReader.ReadAll(top.Events).Where(e => e.Type == "sub.started").ToList();
        Assert.Equal([1, 2], starts.Select(e => e.Attempt));
        Assert.Single(EventReader.ReadAll(child.Events), e => e.Type == "run.started");
        await EngineProbe.WaitUntilAsync(() => EngineProbe.IsGone(oldPid), "the interrupted attempt to be killed");
    }

    [Fact]
    public async Task TheSubChainsExample_RunsOffline_TheChildsReportReachesThePublisher()
    {
        using var ws = new TestWorkspace();
        var example = Path.Combine(RepoRoot(), "examples", "sub-chains");
        foreach (var file in Directory.EnumerateFiles(example, "*", SearchOption.AllDirectories))
            ws.Write(Path.GetRelativePath(example, file), File.ReadAllText(file));

        var validate = await BatonCli.RunAsync(ws.Root, "validate", "chains/release.yaml");
        var run = await BatonCli.RunAsync(ws.Root, "run", "release", "--input", "version=1.2.0");

        Assert.True(validate.ExitCode == 0, validate.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        var top = Runs(ws).Single(r => Started(r)?.Parent is null);
        Assert.Equal(
            "published v1.2.0 after: all tests of v1.2.0 passed\n\n",
            File.ReadAllText(top.AgentOutput("publish"))
        );
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Baton.slnx")))
            dir = dir.Parent;
        return dir!.FullName;
    }
}
