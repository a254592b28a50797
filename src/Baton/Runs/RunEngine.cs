using Baton.Chains;
using Baton.Workspaces;

namespace Baton.Runs;

public sealed record RunOutcome(string RunId, RunStatus Status, string? Reason)
{
    /// <summary>The run's quality score (checks), when it has one: monitoring keeps it with the run's cost over time.</summary>
    public double? QualityScore { get; init; }

    /// <summary>A waiting run's earliest decision deadline: the host wakes the parked run then, without reading its events back.</summary>
    public DateTimeOffset? DecisionDeadline { get; init; }

    /// <summary>The chain the run ran (its snapshot's name), when an engine ran it: `after:` triggers match on it without reading the run back.</summary>
    public string? Chain { get; init; }

    /// <summary>The run's cost ledger as its loop read it for run.finished, for the monitor (which read it again); RunEngine.RunAsync returns none.</summary>
    public IReadOnlyList<Costs.CostEntry>? Ledger { get; init; }

    /// <summary>A waiting run's decisions as its loop left them, for a host that keeps the run parked (see WaitingDecisions).</summary>
    public WaitingDecisions? Waiting { get; init; }
}

/// <summary>
/// The decision agents a run waits at, as the engine left it: the chain it ran and each waiting agent's state. A host
/// keeping the run parked checks an answer against these instead of reading and folding every event again (W3S);
/// they are a first look only — the engine checks the answer again against the events when it takes it.
/// </summary>
public sealed record WaitingDecisions(Chain Chain, IReadOnlyDictionary<string, AgentState> Agents)
{
    public static WaitingDecisions Of(Chain chain, RunState state) =>
        new(
            chain,
            chain
                .Agents.Where(a => a.Decision is not null)
                .Select(a => state.Agent(a.Name))
                .Where(DecisionRules.IsAwaitingAnswer)
                .ToDictionary(a => a.Name, StringComparer.Ordinal)
        );
}

/// <summary>
/// Runs (or resumes) runs of one workspace. Each run gets its own loop; runs share only the group
/// committer and the inbox watcher. The CLI's `run` uses one of these for one run; the server one
/// per workspace for all of them.
/// </summary>
public sealed class RunEngine
{
    public RunEngine(Workspace workspace, EngineOptions options)
    {
        Workspace = workspace;
        Options = options;
        // Shared slots (the server's) or, for `baton run`, this workspace's own cap if baton.yaml sets one.
        Slots = options.Slots ?? (workspace.Config.Limits.MaxParallelAgents is { } cap ? new AgentSlots(cap) : null);
        Slots?.Configure(workspace.Root, workspace.Config.Limits.MaxParallelAgents);
        Children = new ChildRuns(this);
        Notifier = new Notifications.RunNotifier(options);
    }

    /// <summary>The chains' `notify:` webhooks, sent beside the runs.</summary>
    public Notifications.RunNotifier Notifier { get; }

    /// <summary>The child runs of this workspace's `chain:` agents.</summary>
    public ChildRuns Children { get; }

    public Workspace Workspace { get; }
    public EngineOptions Options { get; }
    public AgentSlots? Slots { get; }

    /// <summary>Runs the run to its end, starting it or resuming it from its events.</summary>
    /// <param name="cancelRun">Cancels the run (kills its agents, status cancelled), as `baton cancel` does.</param>
    /// <param name="handed">An answer its host hands over without an inbox file (Inbox.Handed), taken first.</param>
    /// <exception cref="RunLockedException">Another engine owns the run.</exception>
    public async Task<RunOutcome> RunAsync(
        RunFolder run,
        CancellationToken cancelRun = default,
        Inbox.Item? handed = null
    )
    {
        var open = Interlocked.Increment(ref s_openRuns);
        try
        {
            if (open == ManyOpenRuns && Interlocked.Exchange(ref s_descriptorsReserved, 1) == 0)
                Libc.ReserveDescriptors(16384);
            // Opening a run is synchronous file work: a host that starts many at once gets them opened on every core, not one by one on its own thread.
            await Task.Yield();
            // Once per engine, not per run: one failed open when the reserve is there (DiskSpace).
            if (Options.KeepDiskReserve && Interlocked.Exchange(ref _reserveChecked, 1) == 0)
                DiskSpace.EnsureReserve(Workspace.RunsRoot);
            using var runLock = RunLock.TryAcquire(run.LockFile)
                ?? throw new RunLockedException(
                    $"run {run.Id} is already being run by another engine (pid {RunLock.Owner(run.LockFile)})"
                );
            var chain = LoadChain(run);
            var loop = new RunLoop(this, run, chain, handed);
            var outcome = await loop.RunAsync(cancelRun) with { Chain = chain.Name };
            if (outcome.Status is RunStatus.Succeeded or RunStatus.Failed)
                await MonitorAsync(run, chain.Name, outcome);
            return outcome with { Ledger = null }; // the monitor's; callers compare and keep outcomes
        }
        finally
        {
            Interlocked.Decrement(ref s_openRuns);
        }
    }

    private int _reserveChecked;

    /// <summary>Cost history and alerts (RunMonitor); a problem there is a warning, never the run's.</summary>
    private async Task MonitorAsync(RunFolder run, string chain, RunOutcome outcome)
    {
        try
        {
            await Monitoring.RunMonitor.AfterRunAsync(
                Workspace,
                run,
                chain,
                outcome.Status,
                Options,
                outcome.QualityScore,
                ledger: outcome.Ledger
            );
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or UnsafePathException)
        {
            Options.OnWarning?.Invoke($"monitoring of run {run.Id}: {e.Message}");
        }
    }

    /// <summary>Runs open in this process, across engines (a paused run is not open).</summary>
    private static int s_openRuns;

    /// <summary>
    /// A process with this many runs open at once is a busy host: its descriptor table is grown once to
    /// 16,384 rather than doubling eight times, each doubling stalling every thread that opens a file for
    /// an RCU grace period (W2: 1.28–1.31 s → 1.20–1.29 s, docs/performance.md). `baton run` never gets here.
    /// </summary>
    private const int ManyOpenRuns = 64;
    private static int s_descriptorsReserved;

    /// <summary>Loads the chain from the run's own snapshot, never from the workspace (it may have changed since).</summary>
    /// <summary>The chain as the run snapshot has it; its files are read below the run folder, never through a link.</summary>
    /// <exception cref="UnsafePathException">A link is where the snapshot's files should be.</exception>
    public static Chain LoadChain(RunFolder run) =>
        ChainCache.Load(run.ChainFile, ReadUtf8(run.ChainFile), relative =>
            Workspaces.WorkspaceDirectory.ReadText(run.Path, RunFolder.SnapshotRelativePath(relative), 1 << 20)
        );

    /// <summary>
    /// File.ReadAllText for files Baton wrote (UTF-8, a byte-order mark dropped) without its stream, reader and
    /// builder: every run start reads its chain, and that was ~10 KB of garbage per run (W2).
    /// </summary>
    private static string ReadUtf8(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = bytes.AsSpan();
        return System.Text.Encoding.UTF8.GetString(text.StartsWith("\uFEFF"u8) ? text[3..] : text);
    }
}

public sealed class RunLockedException(string message) : Exception(message);
