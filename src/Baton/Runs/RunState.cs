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

    /// <summary>The earliest deadline of a decision the run waits at, if any has one: when a host wakes a parked run.</summary>
    public DateTimeOffset? NextDecisionDeadline =>
        _agents
            .Values.Where(a => a.Status == AgentStatus.Waiting && a.DecisionDeadline is not null)
            .Min(a => a.DecisionDeadline);

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

    /// <summary>The agent's state; one with no event yet is pending (a value that is not in Agents and that no event changes).</summary>
    public AgentState Agent(string name) =>
        _agents.TryGetValue(name, out var state) ? state
        : _notStarted.TryGetValue(name, out var pending) ? pending
        : _notStarted[name] = new AgentState(name);

    // The planner asks for every agent on every hand-off; a new value per ask was ~2 allocations × agents × events
    // per run (W1: 80,000 for 200 agents, a fifth of the engine's samples). The fold never applies events to these
    // (Track makes the agent's own state at its first event), so handing out the same one is safe.
    private readonly Dictionary<string, AgentState> _notStarted = new(StringComparer.Ordinal);

    private AgentState Track(string name)
    {
        if (!_agents.TryGetValue(name, out var state))
        {
            _agents[name] = state = new AgentState(name) { Counts = _counts };
            if (_indexed?.PositionOf(name) is int position and >= 0)
                _byPosition[position] = state;
        }
        return state;
    }

    private ChainIndex? _indexed;
    private AgentState[] _byPosition = [];

    /// <summary>
    /// Every agent of the chain, in the chain's order, kept current by the fold (an agent's first event
    /// replaces its pending value): what the planner reads on every event, by position instead of by name.
    /// </summary>
    internal AgentState[] AgentsOf(ChainIndex index)
    {
        if (!ReferenceEquals(index, _indexed))
        {
            var agents = new AgentState[index.Agents.Count];
            for (var i = 0; i < agents.Length; i++)
                agents[i] = Agent(index.Agents[i].Name);
            _byPosition = agents;
            _indexed = index;
        }
        return _byPosition;
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
        agent.Apply(body, e);
        if (body is AgentDecided { Decision: Decision.Changes, Rerun: { } rerun } decided)
            foreach (var name in rerun)
            {
                Track(name).SendBack(decided.Comment);
                _occurredTypes.RemoveWhere(t => t.StartsWith(name + ".", StringComparison.Ordinal));
                foreach (var type in _lastOfType.Keys.Where(t => !_occurredTypes.Contains(t)).ToList())
                    _lastOfType.Remove(type);
            }
    }
}
