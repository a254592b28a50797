using Baton.Events;

namespace Baton.Runs;

/// <summary>One agent's part of the fold: only RunState.Apply changes it (through Apply and SendBack); every setter is private.</summary>
public sealed class AgentState(string name)
{
    public string Name { get; } = name;

    public AgentStatus Status
    {
        get => _status;
        private set
        {
            Counts?.Change(_status, value);
            _status = value;
        }
    }

    private AgentStatus _status = AgentStatus.Pending;
    internal RunState.StatusCounts? Counts { get; init; }
    public int Attempt { get; private set; }

    /// <summary>Which round (1, 2, …) of a loop the agent is in or last ran: each start that is not a retry or a resume begins one.</summary>
    public int Round { get; private set; }

    /// <summary>The attempt that began the current round: retries count from it.</summary>
    public int RoundFirstAttempt { get; private set; } = 1;

    /// <summary>Sequence number of its latest started event: an `on:` event after it can start a next round.</summary>
    public long StartedSeq { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>Set while a failed attempt will be retried: the earliest time of the next attempt.</summary>
    public DateTimeOffset? RetryAt { get; private set; }
    public string? Reason { get; private set; }

    /// <summary>What its last failure said (e.g. "exited with code 3"), for the run's own reason.</summary>
    public string? FailureMessage { get; private set; }

    /// <summary>A decision agent's answer once decided, until the engine acts on it.</summary>
    public Decision? Decision { get; private set; }
    public string? ShownHash { get; private set; }

    /// <summary>What the waiting decision offers (its last `waiting` event's options).</summary>
    public IReadOnlyList<Decision> Options { get; private set; } = [];
    public DateTimeOffset? DecisionDeadline { get; private set; }

    /// <summary>The reviewer's comment when a decision asked for changes that re-run this agent: its {{ feedback }}.</summary>
    public string Feedback { get; private set; } = "";

    private readonly List<CheckVerdict> _checks = [];

    /// <summary>Its quality checks' verdicts on the latest attempt (checked events).</summary>
    public IReadOnlyList<CheckVerdict> Checks => _checks;

    /// <summary>What this agent's calls cost so far, all attempts (from the cost_usd of its done/failed events).</summary>
    public decimal CostUsd { get; private set; }

    /// <summary>One of this agent's events, folded (RunState.Apply).</summary>
    internal void Apply(EventBody body, RunEvent e)
    {
        // Custom events may carry a cost too (the fold has always counted any cost_usd an agent's event holds).
        CostUsd += body switch
        {
            AgentDone done => done.Cost.CostUsd ?? 0,
            AgentFailed failed => failed.Cost.CostUsd ?? 0,
            CustomEvent => new EventData(e.Data).Decimal("cost_usd") ?? 0,
            _ => 0,
        };
        switch (body)
        {
            case AgentChecked check:
                _checks.Add(
                    new CheckVerdict(check.Check, check.Passed, check.Score, check.Weight, check.OnFail, check.Message)
                );
                break;
            case AgentStarted:
                _checks.Clear(); // the latest attempt's output is the one that counts
                // A retry (after a failure) or a resume (still running) goes on with the round; anything else begins one.
                if (Round == 0 || Status is not (AgentStatus.Failed or AgentStatus.Running))
                {
                    Round++;
                    RoundFirstAttempt = e.Attempt;
                }
                StartedSeq = e.Seq;
                Status = AgentStatus.Running;
                Attempt = e.Attempt;
                StartedAt = e.Time;
                FinishedAt = null;
                RetryAt = null;
                Reason = null;
                break;
            case AgentDone:
                Status = AgentStatus.Done;
                FinishedAt = e.Time;
                break;
            case AgentFailed failed:
                Status = AgentStatus.Failed;
                FinishedAt = e.Time;
                Reason = failed.Reason;
                FailureMessage = failed.Message;
                RetryAt = failed.RetryInMs is { } delay ? e.Time.AddMilliseconds(delay) : null;
                if (failed.Feedback is { } feedback)
                    Feedback = feedback; // a failed check's message, for the retry's {{ feedback }}
                break;
            case AgentWaiting waiting:
                Status = AgentStatus.Waiting;
                Attempt = e.Attempt;
                StartedAt ??= e.Time;
                FinishedAt = null;
                Decision = null;
                ShownHash = waiting.ShownHash;
                Options = waiting.Options;
                DecisionDeadline = waiting.Deadline;
                break;
            case AgentDecided decided:
                Decision = decided.Decision;
                break;
            case AgentRejected:
                Status = AgentStatus.Rejected;
                FinishedAt = e.Time;
                break;
            case AgentSkipped skipped:
                Status = AgentStatus.Skipped;
                Reason = skipped.Reason;
                break;
            case AgentCancelled:
                Status = AgentStatus.Cancelled;
                FinishedAt = e.Time;
                break;
        }
    }

    /// <summary>A decision asked for changes that re-run this agent: pending again, with the reviewer's comment as feedback.</summary>
    internal void SendBack(string feedback)
    {
        Status = AgentStatus.Pending;
        Feedback = feedback;
        Decision = null;
    }
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
