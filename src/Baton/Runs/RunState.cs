using Baton.Events;

namespace Baton.Runs;

/// <summary>
/// A run's state, derived from its event files alone: the engine and every reader build it with the
/// same fold, so there is no second source of truth. Apply is deterministic and does no I/O.
/// </summary>
public sealed class RunState
{
    public string Status { get; private set; } = RunStatus.Queued;
    public string? Chain { get; private set; }
    public DateTimeOffset? Started { get; private set; }
    public DateTimeOffset? Finished { get; private set; }
    public long LastSeq { get; private set; }
    public bool CancelRequested { get; private set; }
    public string? FinishReason { get; private set; }
    public Dictionary<string, AgentState> Agents { get; } = new(StringComparer.Ordinal);

    /// <summary>Every event type that has occurred and can trigger `on:` (a retried failure cannot).</summary>
    public HashSet<string> OccurredTypes { get; } = new(StringComparer.Ordinal);

    /// <summary>For each type in OccurredTypes, its latest occurrence: whether it came after an agent last started (loops), what its data says (`when:`).</summary>
    public Dictionary<string, RunEvent> LastOfType { get; } = new(StringComparer.Ordinal);

    /// <summary>A `stop:` agent ended the run (it is then wound down like a cancel, but finishes as it stands): the agent and its reason.</summary>
    public string? StoppedBy { get; private set; }
    public string? StopReason { get; private set; }

    /// <summary>Inbox file names already turned into events, so a crash mid-ingest never doubles one.</summary>
    public HashSet<string> ConsumedInbox { get; } = new(StringComparer.Ordinal);

    public AgentState Agent(string name)
    {
        if (!Agents.TryGetValue(name, out var state))
            Agents[name] = state = new AgentState(name) { Counts = _counts };
        return state;
    }

    /// <summary>How many agents are running and waiting, kept by AgentState.Status, so the run's status needs no pass over all agents per event.</summary>
    internal sealed class StatusCounts
    {
        public int Running,
            Waiting;

        public void Change(string from, string to)
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
            ConsumedInbox.Add(source);
        switch (e.Type)
        {
            case EventTypes.RunStarted:
                Status = RunStatus.Running;
                Started = e.Time;
                Chain = e.GetString("chain");
                break;
            case EventTypes.RunCancel:
                CancelRequested = true;
                break;
            case EventTypes.RunStop:
                CancelRequested = true;
                StoppedBy = e.GetString("by");
                StopReason = e.GetString("reason");
                break;
            case EventTypes.RunFinished:
                Status = e.GetString("status") ?? RunStatus.Failed;
                FinishReason = e.GetString("reason");
                Finished = e.Time;
                break;
        }
        if (e.Agent is not null && e.AgentEventSuffix is { } suffix)
            ApplyAgentEvent(Agent(e.Agent), suffix, e);
        if (!(e.AgentEventSuffix == EventTypes.Failed && e.GetBool("retry")))
        {
            OccurredTypes.Add(e.Type);
            LastOfType[e.Type] = e;
        }
        if (Status is RunStatus.Running or RunStatus.Waiting)
            Status = _counts.Waiting > 0 && _counts.Running == 0 ? RunStatus.Waiting : RunStatus.Running;
    }

    private void ApplyAgentEvent(AgentState agent, string suffix, RunEvent e)
    {
        if (
            e.Data is { ValueKind: System.Text.Json.JsonValueKind.Object } d
            && d.TryGetProperty("cost_usd", out var cost)
            && cost.TryGetDecimal(out var usd)
        )
            agent.CostUsd += usd;
        switch (suffix)
        {
            case EventTypes.Started:
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
            case EventTypes.Done:
                agent.Status = AgentStatus.Done;
                agent.FinishedAt = e.Time;
                break;
            case EventTypes.Failed:
                agent.Status = AgentStatus.Failed;
                agent.FinishedAt = e.Time;
                agent.Reason = e.GetString("reason");
                agent.FailureMessage = e.GetString("message");
                agent.RetryAt = e.GetBool("retry") ? e.Time.AddMilliseconds(e.GetInt64("retry_in_ms") ?? 0) : null;
                break;
            case EventTypes.Waiting:
                agent.Status = AgentStatus.Waiting;
                agent.Attempt = e.Attempt;
                agent.StartedAt ??= e.Time;
                agent.FinishedAt = null;
                agent.Decision = null;
                agent.ShownHash = e.GetString("shown_hash");
                agent.DecisionDeadline = e.GetString("deadline") is { } deadline
                    ? DateTimeOffset.Parse(deadline, System.Globalization.CultureInfo.InvariantCulture)
                    : null;
                break;
            case EventTypes.Decided:
                agent.Decision = e.GetString("decision");
                if (
                    agent.Decision == "changes"
                    && e.Data is { } decided
                    && decided.TryGetProperty("rerun", out var rerun)
                )
                {
                    var comment = e.GetString("comment") ?? "";
                    foreach (var name in rerun.EnumerateArray().Select(x => x.GetString()!))
                    {
                        var again = Agent(name);
                        again.Status = AgentStatus.Pending;
                        again.Feedback = comment;
                        again.Decision = null;
                        OccurredTypes.RemoveWhere(t => t.StartsWith(name + ".", StringComparison.Ordinal));
                        foreach (var type in LastOfType.Keys.Where(t => !OccurredTypes.Contains(t)).ToList())
                            LastOfType.Remove(type);
                    }
                }
                break;
            case EventTypes.Rejected:
                agent.Status = AgentStatus.Rejected;
                agent.FinishedAt = e.Time;
                break;
            case EventTypes.Skipped:
                agent.Status = AgentStatus.Skipped;
                agent.Reason = e.GetString("reason");
                break;
            case EventTypes.Cancelled:
                agent.Status = AgentStatus.Cancelled;
                agent.FinishedAt = e.Time;
                break;
        }
    }
}

public sealed class AgentState(string name)
{
    public string Name { get; } = name;

    public string Status
    {
        get => _status;
        set
        {
            Counts?.Change(_status, value);
            _status = value;
        }
    }

    private string _status = AgentStatus.Pending;
    internal RunState.StatusCounts? Counts { get; init; }
    public int Attempt { get; set; }

    /// <summary>Which round (1, 2, …) of a loop the agent is in or last ran: each start that is not a retry or a resume begins one.</summary>
    public int Round { get; set; }

    /// <summary>The attempt that began the current round: retries count from it.</summary>
    public int RoundFirstAttempt { get; set; } = 1;

    /// <summary>Sequence number of its latest started event: an `on:` event after it can start a next round.</summary>
    public long StartedSeq { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Set while a failed attempt will be retried: the earliest time of the next attempt.</summary>
    public DateTimeOffset? RetryAt { get; set; }
    public string? Reason { get; set; }

    /// <summary>What its last failure said (e.g. "exited with code 3"), for the run's own reason.</summary>
    public string? FailureMessage { get; set; }

    /// <summary>A decision agent's answer once decided (approve, reject, changes), until the engine acts on it.</summary>
    public string? Decision { get; set; }
    public string? ShownHash { get; set; }
    public DateTimeOffset? DecisionDeadline { get; set; }

    /// <summary>The reviewer's comment when a decision asked for changes that re-run this agent: its {{ feedback }}.</summary>
    public string Feedback { get; set; } = "";

    /// <summary>What this agent's calls cost so far, all attempts (from the cost_usd of its done/failed events).</summary>
    public decimal CostUsd { get; set; }
}
