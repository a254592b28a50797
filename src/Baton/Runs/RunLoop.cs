using System.Text.Json;
using System.Threading.Channels;
using Baton.Chains;
using Baton.Events;

namespace Baton.Runs;

/// <summary>
/// One logical thread per active run (DESIGN.md): take the next signal (an agent finished, the inbox
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
    private readonly string[] _agentNames;
    private EventLog _log = null!;
    private RunState _state = new();
    private DateTimeOffset _lastFullInboxScan;
    private IReadOnlyDictionary<string, string> _inputs = new Dictionary<string, string>();

    private abstract record Signal;
    private sealed record AgentFinished(string Agent, int Attempt, Agents.AgentResult Result, bool TimedOut) : Signal;
    private sealed record InboxChanged : Signal;
    private sealed record CancelRequested(string By) : Signal;

    public RunLoop(RunEngine engine, RunFolder run, Chain chain)
    {
        _engine = engine;
        _run = run;
        _chain = chain;
        _inbox = new Inbox(run.Inbox);
        _agentNames = [.. chain.Agents.Select(a => a.Name)];
    }

    private EngineOptions Options => _engine.Options;

    public async Task<RunOutcome> RunAsync(CancellationToken cancelRun)
    {
        _log = EventLog.Open(_run.Events, Options.Committer, out var existing);
        _state = RunState.Fold(existing);
        if (RunStatus.IsFinished(_state.Status)) return Outcome();
        _inputs = ReadInputs();

        using var onCancel = cancelRun.Register(() => _signals.Writer.TryWrite(new CancelRequested("signal")));
        Directory.CreateDirectory(_run.Inbox);
        if (Options.WatchInbox) _watches.Add(Runs.InboxWatcher.Shared.Watch(_run.Inbox, NotifyInbox));
        try
        {
            if (existing.Count == 0) Append(EventTypes.RunStarted, null, 0, EventJson.Data(("chain", _chain.Name), ("run", _run.Id)));
            else RecoverInterruptedAgents();
            IngestInbox(full: true);
            await LoopAsync();
        }
        catch (IOException e)
        {
            return await FailOnStorageErrorAsync(e);
        }
        finally
        {
            foreach (var watch in _watches) watch.Dispose();
        }
        return Outcome();
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            var wakeAt = Advance();
            if (RunStatus.IsFinished(_state.Status)) break;

            var wait = Options.InboxRescanInterval;
            if (wakeAt is { } at) wait = TimeSpan.FromTicks(Math.Clamp((at - DateTimeOffset.UtcNow).Ticks, 0, wait.Ticks));
            if (!_signals.Reader.TryPeek(out _))
            {
                using var timeout = new CancellationTokenSource(wait);
                try { await _signals.Reader.WaitToReadAsync(timeout.Token); }
                catch (OperationCanceledException) { IngestInbox(full: true); } // periodic rescan: the watcher is only a hint
            }
            while (_signals.Reader.TryRead(out var signal)) Handle(signal);
        }
        // The run's end is acknowledged to the outside (an exit code, an API answer): it must be durable.
        await Options.Committer.Commit(null, _log.Directory, _log.Directory);
    }

    private void Handle(Signal signal)
    {
        switch (signal)
        {
            case AgentFinished finished: OnAgentFinished(finished); break;
            case InboxChanged: IngestInbox(); break;
            case CancelRequested cancel when !_state.CancelRequested && !RunStatus.IsFinished(_state.Status):
                Append(EventTypes.RunCancel, null, 0, EventJson.Data(("by", cancel.By)));
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
            var now = DateTimeOffset.UtcNow;
            foreach (var action in Planner.Next(_chain, _state))
            {
                switch (action)
                {
                    case StartAgent start when start.NotBefore > now:
                        wakeAt = wakeAt is null || start.NotBefore < wakeAt ? start.NotBefore : wakeAt;
                        break;
                    case StartAgent start:
                        StartAgent(start.Agent, start.Attempt, resumed: false);
                        acted = true;
                        break;
                    case SkipAgent skip:
                        Append(EventTypes.For(skip.Agent, EventTypes.Skipped), skip.Agent, _state.Agent(skip.Agent).Attempt, EventJson.Data(("reason", skip.Reason)));
                        acted = true;
                        break;
                    case CancelAgent cancel:
                        acted |= CancelAgent(cancel.Agent);
                        break;
                    case FinishRun finish:
                        Append(EventTypes.RunFinished, null, 0, EventJson.Data(("status", finish.Status), ("reason", finish.Reason)));
                        return null;
                }
            }
            if (!acted) return wakeAt;
        }
    }

    private EventLog.Appended Append(string type, string? agent, int attempt, JsonElement? data, string? source = null)
    {
        var appended = _log.Append(type, agent, attempt, data, source);
        _state.Apply(appended.Event);
        Options.OnEvent?.Invoke(_run, appended.Event);
        return appended;
    }

    private void NotifyInbox() => _signals.Writer.TryWrite(new InboxChanged());

    private RunOutcome Outcome() => new(_run.Id, _state.Status, _state.FinishReason);

    private IReadOnlyDictionary<string, string> ReadInputs() =>
        File.Exists(_run.InputsFile)
            ? JsonSerializer.Deserialize(File.ReadAllText(_run.InputsFile), RunJson.Default.DictionaryStringString) ?? []
            : new Dictionary<string, string>();

    /// <summary>
    /// Nothing more can be written (a full disk, a read-only folder): stop every agent, try once to
    /// record why, and leave the run resumable — whatever was acknowledged is already on disk.
    /// </summary>
    private async Task<RunOutcome> FailOnStorageErrorAsync(IOException error)
    {
        foreach (var agent in _running.Values) agent.Cancel.Cancel();
        await Task.WhenAll(_running.Values.Select(a => a.Task));
        var reason = $"cannot write to the run folder: {error.Message}";
        try { Append(EventTypes.RunFinished, null, 0, EventJson.Data(("status", RunStatus.Failed), ("reason", reason))); }
        catch (IOException) { /* the same storage problem; the reason is still reported to the caller */ }
        return new RunOutcome(_run.Id, RunStatus.Failed, reason);
    }
}
