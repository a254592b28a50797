using Baton.Events;

namespace Baton.Runs;

/// <summary>
/// A run's state, derived from its event files alone: the engine and every reader build it with the
/// same fold, so there is no second source of truth. Apply is deterministic and does no I/O, and it is
/// the only thing that changes the state: reading never does (an agent with no event yet reads as pending).
/// </summary>
public sealed class RunState
{
    public RunStatus Status { get; private set; } = RunStatus.Queued;
    public string? Chain { get; private set; }
    public DateTimeOffset? Started { get; private set; }
    public DateTimeOffset? Finished { get; private set; }
    public long LastSeq { get; private set; }
    public bool CancelRequested { get; private set; }
    public string? FinishReason { get; private set; }

    private readonly Dictionary<string, AgentState> _agents = new(StringComparer.Ordinal);

    /// <summary>The agents that have had an event, in the order of their first one.</summary>
    public IReadOnlyDictionary<string, AgentState> Agents => _agents;

    private readonly HashSet<string> _occurredTypes = new(StringComparer.Ordinal);

    /// <summary>Every event type that has occurred and can trigger `on:` (a retried failure cannot).</summary>
    public IReadOnlySet<string> OccurredTypes => _occurredTypes;

    private readonly Dictionary<string, RunEvent> _lastOfType = new(StringComparer.Ordinal);

    /// <summary>For each type in OccurredTypes, its latest occurrence: whether it came after an agent last started (loops), what its data says (`when:`).</summary>
    public IReadOnlyDictionary<string, RunEvent> LastOfType => _lastOfType;

    /// <summary>A `stop:` agent ended the run (it is then wound down like a cancel, but finishes as it stands): the agent and its reason.</summary>
    public string? StoppedBy { get; private set; }
    public string? StopReason { get; private set; }

    private readonly HashSet<string> _consumedInbox = new(StringComparer.Ordinal);

    /// <summary>Inbox file names already turned into events, so a crash mid-ingest never doubles one.</summary>
    public IReadOnlySet<string> ConsumedInbox => _consumedInbox;

    /// <summary>
    /// The run's quality score: passed checks over all checks of each agent's latest attempt, weighted by
    /// `weight` (llm-rubric contributes its score); null when no agent has checks.
    /// </summary>
    public double? QualityScore
    {
        get
        {
            var checks = Agents.Values.SelectMany(a => a.Checks).ToList();
            var weight = checks.Sum(c => c.Weight);
            return checks.Count == 0 || weight <= 0
                ? null
                : Math.Round(checks.Sum(c => c.Weight * c.Score) / weight, 4);
        }
    }

    /// <summary>Checks that failed without failing their agent (on_fail: warn): a succeeded run with any is not green.</summary>
    public int FailedChecks => Agents.Values.Sum(a => a.Checks.Count(c => !c.Passed));

    /// <summary>The agent's state; one with no event yet is pending (a fresh value, not added to Agents).</summary>
    public AgentState Agent(string name) => _agents.TryGetValue(name, out var state) ? state : new AgentState(name);

    private AgentState Track(string name)
    {
        if (!_agents.TryGetValue(name, out var state))
            _agents[name] = state = new AgentState(name) { Counts = _counts };
        return state;
    }

    /// <summary>How many agents are running and waiting, kept by AgentState.Status, so the run's status needs no pass over all agents per event.</summary>
    internal sealed class StatusCounts
    {
        public int Running,
            Waiting;

        public void Change(AgentStatus from, AgentStatus to)
        {
            if (from == AgentStatus.Running)
                Running--;
            else if (from == AgentStatus.Waiting)
                Waiting--;
            if (to == AgentStatus.Running)
                Running++;
            else if (to == AgentStatus.Waiting)
                Waiting++;
        }
    }

    private readonly StatusCounts _counts = new();

    public static RunState Fold(IEnumerable<RunEvent> events)
    {
        var state = new RunState();
        foreach (var e in events)
            state.Apply(e);
        return state;
    }

    public void Apply(RunEvent e)
    {
        LastSeq = e.Seq;
        if (e.Source is { } source)
            _consumedInbox.Add(source);
        var body = e.Body;
        switch (body)
        {
            case RunStarted started:
                Status = RunStatus.Running;
                Started = e.Time;
                Chain = started.Chain;
                break;
            case RunCancel:
                CancelRequested = true;
                break;
            case RunStop stop:
                CancelRequested = true;
                StoppedBy = stop.By;
                StopReason = stop.Reason;
                break;
            case RunFinished finished:
                Status = finished.Status;
                FinishReason = finished.Reason;
                Finished = e.Time;
                break;
        }
        if (e.Agent is not null && e.AgentEventSuffix is not null)
            ApplyAgentEvent(Track(e.Agent), body, e);
        if (body is not AgentFailed { Retry: true })
        {
            _occurredTypes.Add(e.Type);
            _lastOfType[e.Type] = e;
        }
        if (Status is RunStatus.Running or RunStatus.Waiting)
            Status = _counts.Waiting > 0 && _counts.Running == 0 ? RunStatus.Waiting : RunStatus.Running;
    }

    private void ApplyAgentEvent(AgentState agent, EventBody body, RunEvent e)
    {
        // Custom events may carry a cost too (the fold has always counted any cost_usd an agent's event holds).
        agent.CostUsd += body switch
        {
            AgentDone done => done.Cost.CostUsd ?? 0,
            AgentFailed failed => failed.Cost.CostUsd ?? 0,
            CustomEvent => new EventData(e.Data).Decimal("cost_usd") ?? 0,
            _ => 0,
        };
        switch (body)
        {
            case AgentChecked check:
                agent.Checks.Add(
                    new CheckVerdict(check.Check, check.Passed, check.Score, check.Weight, check.OnFail, check.Message)
                );
                break;
            case AgentStarted:
                agent.Checks.Clear(); // the latest attempt's output is the one that counts
                // A retry (after a failure) or a resume (still running) goes on with the round; anything else begins one.
                if (agent.Round == 0 || agent.Status is not (AgentStatus.Failed or AgentStatus.Running))
                {
                    agent.Round++;
                    agent.RoundFirstAttempt = e.Attempt;
                }
                agent.StartedSeq = e.Seq;
                agent.Status = AgentStatus.Running;
                agent.Attempt = e.Attempt;
                agent.StartedAt = e.Time;
                agent.FinishedAt = null;
                agent.RetryAt = null;
                agent.Reason = null;
                break;
            case AgentDone:
                agent.Status = AgentStatus.Done;
                agent.FinishedAt = e.Time;
                break;
            case AgentFailed failed:
                agent.Status = AgentStatus.Failed;
                agent.FinishedAt = e.Time;
                agent.Reason = failed.Reason;
                agent.FailureMessage = failed.Message;
                agent.RetryAt = failed.RetryInMs is { } delay ? e.Time.AddMilliseconds(delay) : null;
                if (failed.Feedback is { } feedback)
                    agent.Feedback = feedback; // a failed check's message, for the retry's {{ feedback }}
                break;
            case AgentWaiting waiting:
                agent.Status = AgentStatus.Waiting;
                agent.Attempt = e.Attempt;
                agent.StartedAt ??= e.Time;
                agent.FinishedAt = null;
                agent.Decision = null;
                agent.ShownHash = waiting.ShownHash;
                agent.Options = waiting.Options;
                agent.DecisionDeadline = waiting.Deadline;
                break;
            case AgentDecided decided:
                agent.Decision = decided.Decision;
                if (decided.Decision == Decision.Changes && decided.Rerun is { } rerun)
                    foreach (var name in rerun)
                    {
                        var again = Track(name);
                        again.Status = AgentStatus.Pending;
                        again.Feedback = decided.Comment;
                        again.Decision = null;
                        _occurredTypes.RemoveWhere(t => t.StartsWith(name + ".", StringComparison.Ordinal));
                        foreach (var type in _lastOfType.Keys.Where(t => !_occurredTypes.Contains(t)).ToList())
                            _lastOfType.Remove(type);
                    }
                break;
            case AgentRejected:
                agent.Status = AgentStatus.Rejected;
                agent.FinishedAt = e.Time;
                break;
            case AgentSkipped skipped:
                agent.Status = AgentStatus.Skipped;
                agent.Reason = skipped.Reason;
                break;
            case AgentCancelled:
                agent.Status = AgentStatus.Cancelled;
                agent.FinishedAt = e.Time;
                break;
        }
    }
}

/// <summary>One agent's part of the fold; only RunState.Apply changes it.</summary>
public sealed class AgentState(string name)
{
    public string Name { get; } = name;

    public AgentStatus Status
    {
        get => _status;
        internal set
        {
            Counts?.Change(_status, value);
            _status = value;
        }
    }

    private AgentStatus _status = AgentStatus.Pending;
    internal RunState.StatusCounts? Counts { get; init; }
    public int Attempt { get; internal set; }

    /// <summary>Which round (1, 2, …) of a loop the agent is in or last ran: each start that is not a retry or a resume begins one.</summary>
    public int Round { get; internal set; }

    /// <summary>The attempt that began the current round: retries count from it.</summary>
    public int RoundFirstAttempt { get; internal set; } = 1;

    /// <summary>Sequence number of its latest started event: an `on:` event after it can start a next round.</summary>
    public long StartedSeq { get; internal set; }
    public DateTimeOffset? StartedAt { get; internal set; }
    public DateTimeOffset? FinishedAt { get; internal set; }

    /// <summary>Set while a failed attempt will be retried: the earliest time of the next attempt.</summary>
    public DateTimeOffset? RetryAt { get; internal set; }
    public string? Reason { get; internal set; }

    /// <summary>What its last failure said (e.g. "exited with code 3"), for the run's own reason.</summary>
    public string? FailureMessage { get; internal set; }

    /// <summary>A decision agent's answer once decided, until the engine acts on it.</summary>
    public Decision? Decision { get; internal set; }
    public string? ShownHash { get; internal set; }

    /// <summary>What the waiting decision offers (its last `waiting` event's options).</summary>
    public IReadOnlyList<Decision> Options { get; internal set; } = [];
    public DateTimeOffset? DecisionDeadline { get; internal set; }

    /// <summary>The reviewer's comment when a decision asked for changes that re-run this agent: its {{ feedback }}.</summary>
    public string Feedback { get; internal set; } = "";

    /// <summary>Its quality checks' verdicts on the latest attempt (checked events).</summary>
    public List<CheckVerdict> Checks { get; } = [];

    /// <summary>What this agent's calls cost so far, all attempts (from the cost_usd of its done/failed events).</summary>
    public decimal CostUsd { get; internal set; }
}

/// <summary>One `&lt;agent&gt;.checked` event, folded.</summary>
public sealed record CheckVerdict(
    string Check,
    bool Passed,
    double Score,
    double Weight,
    string OnFail,
    string Message
);
