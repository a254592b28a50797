using Baton.Events;
using Baton.Runs;
using Baton.Tests.Events;

namespace Baton.Tests.Engine;

public class ResumeTests
{
    private const string Chain = """
        name: resume
        agents:
          a:
            run: |
              echo ran >> a-runs
              echo "from a"
          b:
            run: |
              echo ran >> b-runs
              echo "b got: $(cat "$BATON_OUT_A")"
        """;

    /// <summary>What a dead engine leaves behind: a finished, b started (attempt 1) but never finished.</summary>
    private static async Task<RunFolder> InterruptedRunAsync(TestWorkspace ws)
    {
        var run = await ws.CreateRunAsync(Chain);
        var log = EventLog.Open(run.Events, GroupCommitter.Shared, out _);
        var durable = new List<Task>
        {
            log.Append(new RunStarted("resume", run.Id), null, 0).Durable,
            log.Append(new AgentStarted(), "a", 1).Durable,
        };
        Directory.CreateDirectory(run.AgentDir("a"));
        await File.WriteAllTextAsync(run.AgentOutput("a"), "from a\n");
        durable.Add(log.Append(new AgentDone("agents/a/output"), "a", 1).Durable);
        durable.Add(log.Append(new AgentStarted(), "b", 1).Durable);
        Directory.CreateDirectory(run.AgentDir("b"));
        await File.WriteAllTextAsync(Path.Combine(run.AgentDir("b"), "stdout.log"), "half of attempt 1");
        await Task.WhenAll(durable);
        return run;
    }

    [Fact]
    public async Task InterruptedRun_RerunsOnlyTheUnfinishedAgent()
    {
        using var ws = new TestWorkspace();
        var run = await InterruptedRunAsync(ws);

        var outcome = await new RunEngine(ws.Workspace, TestWorkspace.FastOptions())
            .RunAsync(run)
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal(
            ["run.started", "a.started", "a.done", "b.started", "b.started", "b.done", "run.finished"],
            TestWorkspace.Types(run)
        );
        Assert.False(
            File.Exists(Path.Combine(run.Work, "a-runs")),
            "a finished before the crash and must not run again"
        );
        var restarted = TestWorkspace.Events(run)[4];
        Assert.Equal(2, restarted.Attempt);
        Assert.True(restarted.GetBool("resumed"));
        Assert.Equal("b got: from a\n", File.ReadAllText(run.AgentOutput("b")));
        Assert.Equal(
            "half of attempt 1",
            File.ReadAllText(Path.Combine(run.AgentDir("b"), "attempts", "1", "stdout.log"))
        );
    }

    [Fact]
    public async Task KilledBetweenCreatingAndWritingAnEvent_ReadersStopBeforeIt_ResumeSetsItAsideAndFinishes()
    {
        using var ws = new TestWorkspace();
        var run = await InterruptedRunAsync(ws);
        // An event file is created under its own name and then written: a kill -9 in between leaves it empty.
        var torn = Path.Combine(run.Events, "000005-b.done.json");
        await File.WriteAllTextAsync(torn, "");

        Assert.Equal(["run.started", "a.started", "a.done", "b.started"], TestWorkspace.Types(run));
        Assert.Equal(AgentStatus.Running, RunSummary.Load(run).Agents["b"].Status);
        var outcome = await new RunEngine(ws.Workspace, TestWorkspace.FastOptions())
            .RunAsync(run)
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal(
            ["run.started", "a.started", "a.done", "b.started", "b.started", "b.done", "run.finished"],
            TestWorkspace.Types(run)
        );
        var setAside = Assert.Single(Directory.GetFiles(Path.Combine(run.Events, ".torn")));
        Assert.StartsWith("000005-b.done.json.", Path.GetFileName(setAside), StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(setAside).Length);
    }

    [Fact]
    public async Task FinishedRun_RunAgain_ReturnsItsStatusWithoutWritingEvents()
    {
        using var ws = new TestWorkspace();
        var (run, first) = await ws.RunAsync(Chain);
        var before = Directory.GetFiles(run.Events).Order(StringComparer.Ordinal).ToList();

        var again = await new RunEngine(ws.Workspace, TestWorkspace.FastOptions())
            .RunAsync(run)
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(RunStatus.Succeeded, first.Status);
        Assert.Equal(first, again);
        Assert.Equal(before, Directory.GetFiles(run.Events).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(["ran"], File.ReadAllLines(Path.Combine(run.Work, "a-runs")));
    }

    [Fact]
    public async Task SecondEngineOnARunningRun_IsRefusedWithRunLocked()
    {
        using var ws = new TestWorkspace();
        using var cancel = new CancellationTokenSource();
        var run = await ws.CreateRunAsync(
            """
            name: locked
            agents:
              sleeper:
                run: touch started; sleep 1000
            """
        );
        var first = new RunEngine(ws.Workspace, TestWorkspace.FastOptions()).RunAsync(run, cancel.Token);
        await EngineProbe.WaitUntilAsync(
            () => File.Exists(Path.Combine(run.Work, "started")),
            "the first engine's agent to start"
        );

        var error = await Assert.ThrowsAsync<RunLockedException>(() =>
            new RunEngine(ws.Workspace, TestWorkspace.FastOptions()).RunAsync(run)
        );
        Assert.Contains(run.Id, error.Message);
        Assert.Contains($"pid {Environment.ProcessId})", error.Message); // the owner's pid, read from the lock file it holds

        await cancel.CancelAsync();
        Assert.Equal(RunStatus.Cancelled, (await first.WaitAsync(TimeSpan.FromSeconds(60))).Status);
        Assert.Single(TestWorkspace.Types(run), t => t == "run.started");
    }

    [Fact]
    public async Task TakenInboxFilesLeftByADeadEngine_BecomeEventsExactlyOnce()
    {
        using var ws = new TestWorkspace();
        var run = await ws.CreateRunAsync("name: taken\nagents:\n  step:\n    run: echo hi\n");
        var taken = Directory.CreateDirectory(Path.Combine(run.Inbox, Inbox.TakenFolder)).FullName;
        // The dead engine had taken two outside events: the first already became an event, the second not yet.
        const string first = "0000000000000001" + "0000@@step.note@one.json",
            second = "0000000000000002" + "0000@@step.note@two.json";
        await File.WriteAllTextAsync(Path.Combine(taken, first), "{\"n\": 1}");
        await File.WriteAllTextAsync(Path.Combine(taken, second), "{\"n\": 2}");
        var log = EventLog.Open(run.Events, GroupCommitter.Shared, out _);
        log.Append(new RunStarted("taken", run.Id), null, 0);
        await log.Append(
            new CustomEvent("step.note", System.Text.Json.JsonElement.Parse("{\"n\":1}")),
            "step",
            0,
            Inbox.Source(first)
        ).Durable;

        var outcome = await new RunEngine(ws.Workspace, TestWorkspace.FastOptions()).RunAsync(run);

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var notes = TestWorkspace.Events(run).Where(e => e.Type == "step.note").ToList();
        Assert.Equal([Inbox.Source(first), Inbox.Source(second)], notes.Select(e => e.Source));
        Assert.Empty(Directory.EnumerateFiles(taken));
    }
}
