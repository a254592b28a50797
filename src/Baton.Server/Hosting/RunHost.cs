using System.Collections.Concurrent;
using Baton.Chains;
using Baton.Events;
using Baton.Isolation;
using Baton.Runs;
using Baton.Workspaces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Baton.Server.Hosting;

/// <summary>
/// Runs every workspace's runs in this process. An active run has an engine loop; a run paused at
/// a decision has none — only an inotify watch on its inbox (kernel memory, no thread), which
/// brings the engine back when an answer lands. At start, runs that were in flight are resumed.
/// </summary>
public sealed partial class RunHost(
    DataRoot data,
    ServerMetrics metrics,
    ServerSettings settings,
    ILogger<RunHost> logger
) : IHostedService
{
    private readonly ConcurrentDictionary<string, Lazy<Task<RunOutcome>>> _active = new(StringComparer.Ordinal);
    private readonly RunAdmission _admission = new();
    private readonly AgentSlots _slots = new(settings.AgentSlots);

    // One set for the server's life: the prompt runner's provider pool (connections, circuit breakers, the
    // fair per-provider gate) must be shared by every workspace, not rebuilt with each baton.yaml change.
    private readonly IReadOnlyDictionary<AgentKind, Agents.IAgentRunner> _runners = settings.Runners
        ?? ServerEnvironment.Runners(data, settings);
    private readonly ConcurrentDictionary<string, ParkedRun> _parked = new(StringComparer.Ordinal);

    /// <summary>A run parked at a decision: the watch on its inbox, and its waiting decisions as its engine left them.</summary>
    private sealed record ParkedRun(IDisposable Watch, WaitingDecisions? Waiting) : IDisposable
    {
        public void Dispose() => Watch.Dispose();
    }

    /// <summary>Answers handed to a parked run (TryResumeWith), waiting for the engine that resumes it.</summary>
    private readonly ConcurrentDictionary<string, Inbox.Item> _handed = new(StringComparer.Ordinal);

    private readonly QuietCollector _quiet = new(settings.Time);

    /// <summary>Gives a burst's garbage back once no run is active (see QuietCollector).</summary>
    public QuietCollector QuietCollector => _quiet;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var name in data.WorkspaceNames())
        {
            Workspace workspace;
            try
            {
                workspace = WorkspaceOf(name);
            } // parsed once: the workspace's engine keeps it
            catch (ChainValidationException e)
            {
                logger.LogWarning("workspace {Workspace}: {Errors}", name, e.Message);
                continue;
            }
            MigrateSecrets(name, workspace);
            HalfMadeRuns.RemoveAbandoned(workspace.RunsRoot, message =>
                logger.LogWarning("workspace {Workspace}: {Message}", name, message)
            );
            foreach (var run in RunFolder.All(workspace.RunsRoot))
            {
                if (EventReader.ReadLast(run.Events) is { Type: EventTypes.RunFinished })
                    continue; // most of history: one file read, not all
                RunState state;
                try
                {
                    state = RunState.Fold(EventReader.ReadAll(run.Events));
                }
                catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    // One damaged run must not keep the server (and every other run) down; it stays as it is on disk.
                    logger.LogWarning(
                        "workspace {Workspace}: run {Run} not resumed: {Reason}",
                        name,
                        run.Id,
                        e.Message
                    );
                    continue;
                }
                if (state.Status.IsFinished())
                    continue;
                if (
                    state.Status == RunStatus.Queued
                    && HalfMadeRuns.IsHalfMade(run)
                    && HalfMadeRuns.RemoveIfAbandoned(run, message =>
                        logger.LogWarning("workspace {Workspace}: {Message}", name, message)
                    )
                )
                    continue;
                if (state.Status == RunStatus.Waiting)
                    Park(name, run, state.NextDecisionDeadline, EngineFor(name));
                else
                    Launch(name, run); // queued ones (no events yet) wait their turn in admission
            }
        }
        // Reading every run's events left garbage the size of the history; paused runs hold nothing of it.
        // Give it back now rather than whenever the next collection comes (W3: a server holding 1,000 paused runs).
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stores written before secrets were bound to their workspace are re-encrypted for it now, so none
    /// is left that another workspace could link to and decrypt (SecretStore). A store that cannot be
    /// (no key, damaged) is reported and left as it is: its runs fail with the same message.
    /// </summary>
    private void MigrateSecrets(string name, Workspace workspace)
    {
        try
        {
            if (workspace.Secrets().Migrate())
                logger.LogInformation("workspace {Workspace}: secrets bound to the workspace (store version 2)", name);
        }
        catch (Exception e) when (e is Secrets.SecretStoreException or IOException or UnsafePathException)
        {
            logger.LogWarning("workspace {Workspace}: secrets not migrated: {Reason}", name, e.Message);
        }
    }

    /// <summary>
    /// Runs resume at the next start. Parked runs' watches are dropped, so a stopped host launches
    /// nothing more (another host in the same process — tests, the bench — may own the runs next).
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        foreach (var key in _parked.Keys)
            if (_parked.TryRemove(key, out var watch))
                watch.Dispose();
        return Task.CompletedTask;
    }

    private volatile bool _stopped;

    /// <summary>Runs whose engine can't record their end yet (a full disk), by folder: the API shows it as `stalled`.</summary>
    private readonly ConcurrentDictionary<string, string> _diskStalls = new(StringComparer.Ordinal);

    /// <summary>The summary as the files say, and `stalled` when the engine can't write to them.</summary>
    public RunSummary Summary(RunFolder run)
    {
        var summary = RunViews.Summary(run);
        // A finished run is not stalled: its end is on disk, and the engine clears the stall only once that is durable.
        return !summary.Status.IsFinished() && _diskStalls.TryGetValue(run.Path, out var reason)
            ? summary with
            {
                Stalled = reason,
            }
            : summary;
    }

    /// <summary>A run of this host finished (workspace, run, outcome with its chain): `after:` triggers listen. Called on the run's task; handlers must not block it.</summary>
    public event Action<string, RunFolder, RunOutcome>? Finished;

    public int ActiveCount => _active.Count;
    public int ParkedCount => _parked.Count;

    /// <summary>
    /// The decisions a run parked here waits at, as its engine left them; null when it is not parked (running, finished,
    /// parked at start) or they are not known. An approval checks against these before reading the run's events (W3S).
    /// </summary>
    public WaitingDecisions? ParkedDecisions(string workspaceName, string runId) =>
        _parked.TryGetValue(Key(workspaceName, runId), out var parked) ? parked.Waiting : null;

    /// <summary>Creates the run and starts (or queues) it; Durable completes once the run would survive a crash, for the caller to await before answering.</summary>
    public (RunFolder Run, Task Durable) StartRun(
        string workspaceName,
        Chain chain,
        string chainYaml,
        IReadOnlyDictionary<string, string> inputs,
        string? trigger = null
    )
    {
        var current = Current(workspaceName);
        var (run, durable) = RunCreator.Create(
            current.Engine.Workspace,
            chain,
            chainYaml,
            inputs,
            current.Engine.Options.Committer,
            trigger: trigger
        );
        metrics.RunStarted();
        Launch(workspaceName, run, current, skipQueue: false);
        return (run, durable);
    }

    /// <summary>
    /// Resumes a run this host holds parked with an answer handed to its engine in memory (Inbox.Handed), which takes
    /// it as it would a file from the inbox's top level: checked, appended, its verdict found by the inbox file's
    /// name. False when the run is not parked here — running, queued, another answer already resuming it — and the
    /// answer must go through the inbox.
    /// </summary>
    public bool TryResumeWith(string workspaceName, RunFolder run, Inbox.Item answer)
    {
        var key = Key(workspaceName, run.Id);
        if (_stopped || !_parked.TryRemove(key, out var parked))
            return false;
        parked.Dispose();
        _handed[key] = answer;
        Launch(workspaceName, run);
        // An engine already running it (a park racing a launch) took its first inbox scan before the answer was there:
        // it parks the run again, and RunToPauseOrEnd launches it once more for the answer.
        return true;
    }

    /// <summary>
    /// Makes sure an engine runs this run (no-op when one does), once the workspace is under its
    /// `max_concurrent_runs`; until then the run waits, status `queued`. A cancel skips the queue.
    /// </summary>
    public void Launch(string workspaceName, RunFolder run, bool skipQueue = false)
    {
        if (!_stopped && !_active.ContainsKey(Key(workspaceName, run.Id)))
            Launch(workspaceName, run, Current(workspaceName), skipQueue);
    }

    /// <param name="current">The workspace's engine as the caller just got it: the run is admitted under its limits and
    /// run, parked and let go by it (one look at baton.yaml per launch; there were six per run in W2S).</param>
    private void Launch(string workspaceName, RunFolder run, WorkspaceEngine current, bool skipQueue)
    {
        var key = Key(workspaceName, run.Id);
        if (_stopped || _active.ContainsKey(key))
            return;
        if (
            !_admission.TryEnter(workspaceName, key, Limit(current), skipQueue, () =>
                Launch(workspaceName, run, skipQueue: true)
            )
        )
            return;
        if (_parked.TryRemove(key, out var watch))
            watch.Dispose();
        // Lazy: under a race GetOrAdd may build two entries, but only the stored one is ever started.
        _ = _active
            .GetOrAdd(key, _ => new Lazy<Task<RunOutcome>>(() =>
                Task.Run(() => RunToPauseOrEnd(workspaceName, run, current))
            ))
            .Value;
    }

    private async Task<RunOutcome> RunToPauseOrEnd(string workspaceName, RunFolder run, WorkspaceEngine current)
    {
        var key = Key(workspaceName, run.Id);
        RunOutcome outcome;
        _handed.TryRemove(key, out var answer);
        try
        {
            outcome = await current.Engine.RunAsync(run, handed: answer);
        }
        catch (RunLockedException)
        {
            // Another engine (a `baton resume` by hand?) owns it right now: look again shortly rather than orphan the run.
            if (answer is not null)
                _handed.TryAdd(key, answer);
            _active.TryRemove(key, out _);
            _admission.Leave(workspaceName, key, Limit(current));
            _ = Task.Delay(TimeSpan.FromSeconds(1))
                .ContinueWith(_ => Launch(workspaceName, run), TaskScheduler.Default);
            return new RunOutcome(run.Id, RunStatus.Running, "another engine owns it");
        }
        catch (Exception e)
        {
            logger.LogError(e, "run {Run} stopped unexpectedly", run.Id);
            _active.TryRemove(key, out _);
            _admission.Leave(workspaceName, key, Limit(current));
            return new RunOutcome(run.Id, RunStatus.Failed, e.Message);
        }
        _active.TryRemove(key, out _);
        _admission.Leave(workspaceName, key, Limit(current));
        if (_active.IsEmpty)
            _quiet.Quiet(() => _active.IsEmpty);
        if (outcome.Status == RunStatus.Waiting)
        {
            Park(workspaceName, run, outcome.DecisionDeadline, current.Engine, outcome.Waiting);
            if (_handed.ContainsKey(key))
                Launch(workspaceName, run); // handed over while this engine ran, after its first inbox scan
        }
        else
        {
            metrics.RunFinished(outcome.Status.Wire());
            if (outcome.Status.IsFinished())
                Finished?.Invoke(workspaceName, run, outcome);
            // A park can race a launch (the watcher fired between this engine's end and its park): drop a stale one.
            if (_parked.TryRemove(key, out var stale))
                stale.Dispose();
            _handed.TryRemove(key, out _); // came after the run's end: its sender reads the end and is refused
        }
        return outcome;
    }

    /// <param name="deadline">The earliest deadline of a decision it waits at, from the state the caller has (the
    /// engine's outcome, the fold made at start): reading the run's events back for it was 2 % of W3S's CPU.</param>
    /// <param name="waiting">Its waiting decisions from the engine's outcome (null from the fold at start): answers are
    /// checked against them first (ParkedDecisions).</param>
    private void Park(
        string workspaceName,
        RunFolder run,
        DateTimeOffset? deadline,
        RunEngine engine,
        WaitingDecisions? waiting = null
    )
    {
        if (_stopped)
            return;
        var key = Key(workspaceName, run.Id);
        var watch = engine.Options.Watcher.Watch(run.Inbox, () => Launch(workspaceName, run));
        var parked = new ParkedRun(watch, waiting);
        if (!_parked.TryAdd(key, parked))
            parked.Dispose();
        // An engine launched meanwhile owns the run now; it parks it again itself if it has to.
        if (_active.ContainsKey(key) && _parked.TryRemove(key, out var raced))
            raced.Dispose();
        ScheduleDecisionDeadline(workspaceName, run, deadline, engine.Options.Time);
        // An answer may already be there — it landed between the engine's last look and the watch, or
        // while no server ran (`baton decide --no-resume`): the watch would never hear of it.
        if (Directory.EnumerateFiles(run.Inbox, "*.json").Any())
            Launch(workspaceName, run);
    }

    private void ScheduleDecisionDeadline(
        string workspaceName,
        RunFolder run,
        DateTimeOffset? deadline,
        TimeProvider clock
    )
    {
        if (deadline is null)
            return;
        var delay = deadline.Value - clock.GetUtcNow();
        _ = Task.Delay(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, clock)
            .ContinueWith(_ => Launch(workspaceName, run), TaskScheduler.Default);
    }

    private readonly ConcurrentDictionary<string, TaskCompletionSource<RunEvent>> _inboxWaiters = new(
        StringComparer.Ordinal
    );

    /// <summary>
    /// Completes when an engine of this host appends the event that the inbox file became (or its
    /// refusal); the event may not be durable yet. Dispose the registration when done waiting.
    /// </summary>
    public (Task<RunEvent> Taken, IDisposable Registration) WhenTaken(string runId, string inboxFile)
    {
        var key = $"{runId}/{inboxFile}";
        var taken = _inboxWaiters.GetOrAdd(key, _ => new TaskCompletionSource<RunEvent>(
            TaskCreationOptions.RunContinuationsAsynchronously
        ));
        return (taken.Task, new Unregister(() => _inboxWaiters.TryRemove(key, out _)));
    }

    private void NotifyTaken(RunFolder run, RunEvent appended)
    {
        // An inbox-born event's source is inbox/.taken/<when>@<agent folder>@<the inbox file's name>.
        if (_inboxWaiters.IsEmpty || appended.Source is not { } source)
            return;
        if (
            TakenName.TryParse(source, out var taken)
            && _inboxWaiters.TryGetValue($"{run.Id}/{taken.InboxFile}", out var waiter)
        )
            waiter.TrySetResult(appended);
    }

    private sealed class Unregister(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    /// <summary>The task of the engine currently running this run, if any.</summary>
    public Task<RunOutcome>? ActiveTask(string workspaceName, string runId) =>
        _active.GetValueOrDefault(Key(workspaceName, runId))?.Value;

    private static string Key(string workspace, string runId) => $"{workspace}/{runId}";
}
