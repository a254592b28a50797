using System.Text.Json;
using System.Threading.Channels;
using Baton.Chains;
using Baton.Events;

namespace Baton.Runs;

/// <summary>
/// One logical thread per active run: take the next signal (an agent finished, the inbox
/// changed, a timer, a cancel), append its events, fold, plan, act. Only this loop touches the run's
/// state and event log, so there are no locks inside a run.
/// </summary>
internal sealed partial class RunLoop
{
    private readonly RunEngine _engine;
    private readonly RunFolder _run;
    private readonly Chain _chain;
    private readonly Inbox _inbox;
    private readonly Channel<Signal> _signals = Channel.CreateUnbounded<Signal>(new() { SingleReader = true });
    private readonly Dictionary<string, RunningAgent> _running = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _watches = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly string[] _agentNames;
    private readonly HashSet<string> _inboxAgents;
    private EventLog _log = null!;
    private RunState _state = new();
    private DateTimeOffset _lastFullInboxScan;
    private bool _finalInboxScanDone;
    private IReadOnlyDictionary<string, string> _inputs = new Dictionary<string, string>();
    private System.Diagnostics.Activity? _span;

    private abstract record Signal;

    private sealed record AgentFinished(string Agent, int Attempt, Agents.AgentResult Result, bool TimedOut) : Signal
    {
        /// <summary>The agent's quality checks on this attempt's output (when it succeeded and has checks).</summary>
        public IReadOnlyList<Checks.CheckOutcome> Checks { get; init; } = [];
    }

    private sealed record InboxChanged : Signal;

    private sealed record CancelRequested(string By) : Signal;

    private sealed record AgentAlert(EventBody Body) : Signal;

    private sealed record SlotGranted(string Agent, int Attempt, bool Resumed, AgentSlots.Lease Lease) : Signal;

    public RunLoop(RunEngine engine, RunFolder run, Chain chain, Inbox.Item? handed = null)
    {
        _engine = engine;
        _handed = handed;
        _run = run;
        _chain = chain;
        _inbox = new Inbox(run.Inbox);
        _agentNames = [.. chain.Agents.Select(a => a.Name)];
        _inboxAgents = new HashSet<string>(
            chain.Agents.Where(a => a.IsProcess).Select(a => a.Name),
            StringComparer.Ordinal
        );
        _everyWatchActive = engine.Options.WatchInbox;
        _waitTimeout = Timer();
    }

    private EngineOptions Options => _engine.Options;

    private DateTimeOffset Now => Options.Time.GetUtcNow();

    public async Task<RunOutcome> RunAsync(CancellationToken cancelRun)
    {
        _log = EventLog.Open(_run.Events, Options.Committer, out var existing, Options.Time);
        _state = RunState.Fold(existing);
        if (_state.Status.IsFinished())
            return Outcome();
        _inputs = ReadInputs();
        _span = Telemetry.RunTelemetry.StartRun(_engine.Workspace.Root, _chain.Name, _run.Id);

        using var onCancel = cancelRun.Register(() => _signals.Writer.TryWrite(new CancelRequested("signal")));
        if (!Directory.Exists(_run.Inbox))
            Directory.CreateDirectory(_run.Inbox); // made with the run: one stat, not mkdir + stat
        if (Options.WatchInbox)
            _watches.Add(Watch(_run.Inbox));
        try
        {
            if (existing.Count == 0)
            {
                Append(new RunStarted(_chain.Name, _run.Id, ReadTrigger(), ReadParent(_run)));
                // A new run: no engine took anything yet and no agent had its folder, so only outside
                // writers (a cancel or decision sent while it was queued) can have left something.
                _lastFullInboxScan = DateTimeOffset.UtcNow;
                IngestInbox();
            }
            else
            {
                // What a stopped engine wrote is made durable — its event files and their folder — before
                // its leftover inbox copies are deleted (none when it stopped cleanly, as at every pause).
                if (_inbox.HasTakenFiles())
                    await Task.WhenAll(
                        existing.Select(e =>
                            Options.Committer.CommitExisting(Path.Combine(_log.Directory, e.FileName), _log.Directory)
                        )
                    );
                IngestInbox(full: true); // first: a cancel waiting there means nothing is re-run
                await RecoverInterruptedAgentsAsync();
            }
            await LoopAsync();
        }
        catch (IOException e) when (DiskSpace.IsFull(e))
        {
            return await FailOnFullDiskAsync(e.Message, cancelRun);
        }
        catch (IOException e)
        {
            return await FailOnStorageErrorAsync($"cannot write to the run folder: {e.Message}");
        }
        catch (UnsafePathException e)
        {
            return await FailOnStorageErrorAsync($"the run folder was tampered with: {e.Message}");
        }
        finally
        {
            foreach (var watch in _watches)
                watch.Dispose();
            _stopping.Cancel();
            _signals.Writer.TryComplete();
            while (_signals.Reader.TryRead(out var left))
                if (left is SlotGranted granted)
                    granted.Lease.Dispose();
            _stopping.Dispose();
            _waitTimeout.Dispose();
            Telemetry.RunTelemetry.EndRun(_span, _state.Status);
        }
        return Outcome();
    }

    private async Task LoopAsync()
    {
        for (var first = true; ; first = false)
        {
            DateTimeOffset? wakeAt;
            // One pass's events (an agent's done, the next one's started) reach the group committer together.
            using (_log.HoldCommits())
            {
                // What came in while the loop waited (the first plan is made before anything that came earlier).
                while (!first && _signals.Reader.TryRead(out var signal))
                    Handle(signal);
                wakeAt = Advance();
            }
            if (_state.Status.IsFinished() || IsParked(wakeAt))
                break;

            var wait = RescanInterval;
            if (wakeAt is { } at)
                wait = TimeSpan.FromTicks(Math.Clamp((at - Now).Ticks, 0, wait.Ticks));
            if (!_signals.Reader.TryPeek(out _))
            {
                if (!_waitTimeout.TryReset())
                {
                    _waitTimeout.Dispose();
                    _waitTimeout = Timer();
                }
                _waitTimeout.CancelAfter(wait);
                try
                {
                    await _signals.Reader.WaitToReadAsync(_waitTimeout.Token);
                }
                catch (OperationCanceledException)
                {
                    IngestInbox(full: true);
                } // periodic rescan: the watcher is only a hint
            }
        }
        // The run's end (or pause) is acknowledged to the outside (an exit code, an API answer): it must be durable.
        await Options.Committer.Commit(null, _log.Directory, _log.Directory);
    }

    private void Handle(Signal signal)
    {
        switch (signal)
        {
            case AgentFinished finished:
                OnAgentFinished(finished);
                break;
            case InboxChanged:
                IngestInbox();
                break;
            case SlotGranted granted:
                OnSlotGranted(granted);
                break;
            case AgentAlert alert when !_state.Status.IsFinished():
                Append(alert.Body);
                break;
            case CancelRequested cancel when !_state.CancelRequested && !_state.Status.IsFinished():
                Append(new RunCancel(cancel.By));
                break;
        }
    }

    /// <summary>Plans and acts until the plan is stable; returns when a delayed retry is due, if any.</summary>
    private DateTimeOffset? Advance()
    {
        while (true)
        {
            DateTimeOffset? wakeAt = null;
            var acted = false;
            var now = Now;
            var plan = Planner.Next(_chain, _state);
            for (var i = 0; i < plan.Count; i++) // not foreach: an interface's enumerator is an allocation per plan
            {
                switch (plan[i])
                {
                    case StartAgent start when start.NotBefore > now:
                        wakeAt = wakeAt is null || start.NotBefore < wakeAt ? start.NotBefore : wakeAt;
                        break;
                    case StartAgent start when _awaitingSlot.Contains(start.Agent):
                        break;
                    case StartAgent start:
                        RequestStart(start.Agent, start.Attempt, resumed: false);
                        acted = !_awaitingSlot.Contains(start.Agent);
                        break;
                    case SkipAgent skip:
                        Append(new AgentSkipped(skip.Reason), skip.Agent, _state.Agent(skip.Agent).Attempt);
                        acted = true;
                        break;
                    case SkipAgentAt skip when skip.At > now:
                        wakeAt = wakeAt is null || skip.At < wakeAt ? skip.At : wakeAt;
                        break;
                    case SkipAgentAt skip:
                        Append(new AgentSkipped(skip.Reason), skip.Agent, _state.Agent(skip.Agent).Attempt);
                        acted = true;
                        break;
                    case CancelAgent cancel:
                        acted |= CancelAgent(cancel.Agent);
                        break;
                    case CompleteDecision complete:
                        CompleteDecision(complete.Agent, complete.Approved);
                        acted = true;
                        break;
                    case DecideByDefault fallback when fallback.At > now:
                        wakeAt = wakeAt is null || fallback.At < wakeAt ? fallback.At : wakeAt;
                        break;
                    case DecideByDefault fallback:
                        DecideByDefault(fallback.Agent, fallback.Decision);
                        acted = true;
                        break;
                    case FinishRun finish:
                        // Before the last event, whatever landed in the inbox since the last scan (a cancel, a
                        // file an agent wrote where it may not) is taken or rejected, so it is in the run's record
                        // and may still change the plan; a notification still in flight would otherwise lose it.
                        if (!_finalInboxScanDone)
                        {
                            _finalInboxScanDone = true;
                            var seenBefore = _state.LastSeq;
                            IngestInbox(full: true);
                            if (_state.LastSeq != seenBefore)
                            {
                                acted = true;
                                break;
                            }
                        }
                        // The ledger, not this loop's memory, so calls made before a resume are counted too.
                        // Child runs keep their own ledgers: what `chain:` agents' children cost is in their events.
                        var children = _chain
                            .Agents.Where(a => a.Kind == AgentKind.Chain)
                            .Sum(a => _state.Agent(a.Name).CostUsd);
                        _ledger = Costs.CostLedger.Read(_run.Path);
                        Append(new RunFinished(finish.Status, finish.Reason, _ledger.Sum(e => e.Usd) + children));
                        return null;
                }
            }
            if (!acted)
                return wakeAt;
        }
    }

    /// <summary>Writes the event (an agent's, with its attempt; a run's, with neither), folds it, tells the host.</summary>
    private EventLog.Appended Append(EventBody body, string? agent = null, int attempt = 0, string? source = null)
    {
        var appended = _log.Append(body, agent, attempt, source);
        _state.Apply(appended.Event);
        if (_chain.Notify.Count > 0)
            _engine.Notifier.OnEvent(_engine.Workspace, _run, _chain, appended);
        Options.OnEvent?.Invoke(_run, appended.Event);
        return appended;
    }

    /// <summary>
    /// Only decisions are pending and nothing runs: the run is files only until someone answers.
    /// The engine returns (status waiting) and the host resumes it when the inbox gets a decision
    /// (or a decision's timeout is due). A paused run holds no process, thread or memory.
    /// </summary>
    private bool IsParked(DateTimeOffset? wakeAt) =>
        _running.Count == 0
        && _awaitingSlot.Count == 0
        && _state.Status == RunStatus.Waiting
        && !_signals.Reader.TryPeek(out _)
        && (wakeAt is null || _state.Agents.Values.Any(a => a.DecisionDeadline == wakeAt));

    private void NotifyInbox() => _signals.Writer.TryWrite(new InboxChanged());

    /// <summary>Reused for every wait: one timer per run, not one per hand-off.</summary>
    private CancellationTokenSource _waitTimeout;

    /// <summary>A token source whose CancelAfter runs on the engine's clock (a FakeTimeProvider in tests).</summary>
    private CancellationTokenSource Timer() => new(Timeout.InfiniteTimeSpan, Options.Time);

    /// <summary>False once a watch was refused (or watching is off): then only frequent rescans find inbox files.</summary>
    private bool _everyWatchActive;

    private TimeSpan RescanInterval => _everyWatchActive ? Options.InboxBackstopInterval : Options.InboxRescanInterval;

    private InboxWatcher.Subscription Watch(string directory)
    {
        var subscription = Options.Watcher.Watch(directory, NotifyInbox);
        _everyWatchActive &= subscription.Active;
        return subscription;
    }

    /// <summary>The run's cost ledger as read for its run.finished: handed to the monitor, which read it again.</summary>
    private IReadOnlyList<Costs.CostEntry>? _ledger;

    private RunOutcome Outcome() =>
        new(_run.Id, _state.Status, _state.FinishReason)
        {
            QualityScore = _state.QualityScore,
            DecisionDeadline = _state.NextDecisionDeadline,
            Ledger = _ledger,
            Waiting = _state.Status == RunStatus.Waiting ? WaitingDecisions.Of(_chain, _state) : null,
        };

    /// <summary>The trigger that started the run (RunFolder.TriggerFile), or null when a person did.</summary>
    private string? ReadTrigger() =>
        Workspaces.WorkspaceDirectory.ReadText(_run.Path, "trigger.txt", 4096) is { Length: > 0 } text
            ? text.Trim()
            : null;

    /// <summary>The run and agent whose `chain:` agent started this run (RunFolder.ParentFile), or null.</summary>
    internal static ParentRun? ReadParent(RunFolder run) =>
        Workspaces.WorkspaceDirectory.ReadText(run.Path, RunFolder.ParentFileName, 4096) is { Length: > 0 } json
            ? ParentRun.FromJson(json)
            : null;

    private IReadOnlyDictionary<string, string> ReadInputs() =>
        _chain.Inputs.Count > 0 && File.Exists(_run.InputsFile)
            ? JsonSerializer.Deserialize(File.ReadAllText(_run.InputsFile), RunJson.Default.DictionaryStringString)
                ?? []
            : new Dictionary<string, string>();

    /// <summary>
    /// Nothing more can be written (a full disk, a read-only folder, a folder swapped for a symlink): stop every agent, try once to
    /// record why, and leave the run resumable — whatever was acknowledged is already on disk.
    /// </summary>
    private async Task<RunOutcome> FailOnStorageErrorAsync(string reason)
    {
        await StopAgentsAsync();
        try
        {
            Append(new RunFinished(RunStatus.Failed, reason));
        }
        catch (Exception e) when (e is IOException or UnsafePathException)
        { /* the same problem; the reason still reaches the caller */
        }
        return new RunOutcome(_run.Id, RunStatus.Failed, reason);
    }

    private async Task StopAgentsAsync()
    {
        foreach (var agent in _running.Values)
            agent.Cancel.Cancel();
        await Task.WhenAll(_running.Values.Select(a => a.Task));
        // Their finished signals are never handled now: give back what OnAgentFinished would have.
        foreach (var agent in _running.Values)
        {
            agent.Slot?.Dispose();
            agent.InboxWatch?.Dispose();
        }
    }
}
