using System.Text.Json;
using Baton.Events;
using Baton.Runs;
using Baton.Tests.Events;

namespace Baton.Tests.Cli;

/// <summary>A real engine process killed or interrupted mid-run.</summary>
public class CliCrashTests
{
    // `first` counts its runs; `second` records its pid, then sleeps on its first attempt only.
    private const string Chain = """
        name: crashy
        agents:
          first:
            run: |
              echo run >> "$BATON_RUN_DIR/first-runs"
              echo first done
          second:
            run: |
              echo $$ >> "$BATON_RUN_DIR/second-pids"
              if [ "$BATON_ATTEMPT" = 1 ]; then sleep 300; fi
              echo "second finished on attempt $BATON_ATTEMPT"
        """;

    private static string RunDir(TestWorkspace ws) =>
        Directory.Exists(Path.Combine(ws.Root, "runs"))
            ? Directory.EnumerateDirectories(Path.Combine(ws.Root, "runs")).SingleOrDefault() ?? "/nonexistent"
            : "/nonexistent";

    /// <summary>The first pid `second` wrote; the shell creates the file before it writes the line, so wait for the whole line.</summary>
    private static async Task<int> SecondPid(TestWorkspace ws)
    {
        var file = () => Path.Combine(RunDir(ws), "second-pids");
        await BatonCli.WaitUntil(
            () => File.Exists(file()) && File.ReadAllText(file()).Contains('\n'),
            "second has started"
        );
        return int.Parse(File.ReadAllLines(file())[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool HasEvent(TestWorkspace ws, string type) =>
        Directory.Exists(Path.Combine(ws.Root, "runs"))
        && Directory
            .EnumerateDirectories(Path.Combine(ws.Root, "runs"))
            .Any(r =>
                Directory.Exists(Path.Combine(r, "events"))
                && Directory.EnumerateFiles(Path.Combine(r, "events"), $"*-{type}.json").Any()
            );

    private static bool Alive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1][0] != 'Z';

    [Fact]
    public async Task Kill9OfTheEngine_ThenResume_FinishedAgentIsNotRerun_InterruptedOneIsAndTheOldAttemptIsKilled()
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/crashy.yaml", Chain);
        using var engine = BatonCli.Start(ws.Root, null, "run", "chains/crashy.yaml");
        var oldPid = await SecondPid(ws);

        engine.Kill(); // SIGKILL: no cleanup at all
        await engine.WaitForExitAsync();
        Assert.True(Alive(oldPid), "the agent outlives its engine (own process group)");

        var id = Path.GetFileName(RunDir(ws));
        var resume = await BatonCli.RunAsync(ws.Root, "resume", id);
        Assert.True(resume.ExitCode == 0, resume.ToString());

        Assert.Single(File.ReadAllLines(Path.Combine(ws.Root, "runs", id, "first-runs")));
        Assert.False(Alive(oldPid), "the interrupted attempt was killed before the re-run");
        var events = EventReader.ReadAll(Path.Combine(ws.Root, "runs", id, "events"));
        Assert.Single(events, e => e.Type == "first.started");
        var restarted = events.Where(e => e.Type == "second.started").ToList();
        Assert.Equal([1, 2], restarted.Select(e => e.Attempt));
        Assert.True(restarted[1].GetBool("resumed"));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal(
            "second finished on attempt 2\n",
            File.ReadAllText(Path.Combine(ws.Root, "runs", id, "agents/second/output"))
        );
    }

    [Fact]
    public async Task CtrlC_CancelsTheRun_KillsTheAgent_Exit130()
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/crashy.yaml", Chain);
        using var engine = BatonCli.Start(ws.Root, null, "run", "chains/crashy.yaml");
        var pid = await SecondPid(ws);

        Assert.Equal(
            0,
            Signals.Kill(
                engine.Id,
                2 /* SIGINT */
            )
        );
        await engine.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(130, engine.ExitCode);
        Assert.False(Alive(pid));
        var summary = RunSummary.Load(RunFolder.Find(Path.Combine(ws.Root, "runs"), "last"));
        Assert.Equal(RunStatus.Cancelled, summary.Status);
        Assert.Equal(AgentStatus.Cancelled, summary.Agents["second"].Status);
    }

    [Fact]
    public async Task CancelFromAnotherProcess_StopsADetachedRun()
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/crashy.yaml", Chain);
        var start = await BatonCli.RunAsync(ws.Root, "run", "chains/crashy.yaml", "--detach");
        Assert.True(start.ExitCode == 0, start.ToString());
        var id = start.Stdout.Trim();
        await BatonCli.WaitUntil(() => HasEvent(ws, "second.started"), "second has started");

        var cancel = await BatonCli.RunAsync(ws.Root, "cancel", id);
        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Contains("cancelled", cancel.Stdout);
        var show = JsonDocument.Parse((await BatonCli.RunAsync(ws.Root, "show", id, "--json")).Stdout).RootElement;
        Assert.Equal("cancelled", show.GetProperty("status").GetString());
    }

    [Fact]
    public async Task CancelWithNoEngine_FinishesTheOrphanedRunAsCancelled()
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/crashy.yaml", Chain);
        using var engine = BatonCli.Start(ws.Root, null, "run", "chains/crashy.yaml");
        var pid = await SecondPid(ws);
        engine.Kill();
        await engine.WaitForExitAsync();

        var cancel = await BatonCli.RunAsync(ws.Root, "cancel", "last");
        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        var summary = RunSummary.Load(RunFolder.Find(Path.Combine(ws.Root, "runs"), "last"));
        Assert.Equal(RunStatus.Cancelled, summary.Status);
        Assert.False(Alive(pid), "the orphaned agent was killed too");
    }
}

internal static partial class Signals
{
    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
    public static partial int Kill(int pid, int signal);
}
