using Baton.Chains;
using Baton.Events;

namespace Baton.Runs;

public abstract record PlanAction;

public sealed record StartAgent(string Agent, int Attempt, DateTimeOffset NotBefore) : PlanAction;

public sealed record SkipAgent(string Agent, string Reason) : PlanAction;

public sealed record CancelAgent(string Agent) : PlanAction;

/// <summary>A wait with a deadline (a quorum's timeout): skip the agent at `At` unless it could start before.</summary>
public sealed record SkipAgentAt(string Agent, string Reason, DateTimeOffset At) : PlanAction;

public sealed record FinishRun(RunStatus Status, string? Reason) : PlanAction;

/// <summary>A decision was answered (approve → done, reject → rejected); "changes" needs no action: the fold re-opens the agents.</summary>
public sealed record CompleteDecision(string Agent, bool Approved) : PlanAction;

/// <summary>Nobody answered before the decision's timeout: take its default.</summary>
public sealed record DecideByDefault(string Agent, Decision Decision, DateTimeOffset At) : PlanAction;

/// <summary>
/// Every scheduling rule of SPEC §2 in one pure function: chain + folded state in, actions out.
/// The engine executes the actions, folds the events they write, and asks again until nothing changes.
/// </summary>
public static class Planner
{
    public static IReadOnlyList<PlanAction> Next(Chain chain, RunState state)
    {
        if (state.Status.IsFinished() || state.Started is null)
            return [];
        return state.CancelRequested ? Cancel(chain, state) : Advance(chain, state);
    }

    private static List<PlanAction> Cancel(Chain chain, RunState state)
    {
        var actions = new List<PlanAction>();
        var active = false;
        var index = ChainIndex.Of(chain);
        var agents = state.AgentsOf(index);
        for (var i = 0; i < agents.Length; i++)
        {
            var spec = index.Agents[i];
            var agent = agents[i];
            if (agent.Status is AgentStatus.Running or AgentStatus.Waiting)
            {
                actions.Add(new CancelAgent(spec.Name));
                active |= agent.Status == AgentStatus.Running;
            }
            else if (agent.Status == AgentStatus.Pending || agent.RetryAt is not null)
                actions.Add(
                    new SkipAgent(
                        spec.Name,
                        state.StoppedBy is { } by ? $"the run was stopped by '{by}'" : "the run was cancelled"
                    )
                );
        }
        if (actions.Count == 0 && !active)
            actions.Add(
                state.StoppedBy is { } by
                    ? Finish(chain, state) switch
                    {
                        { Status: RunStatus.Succeeded } => new FinishRun(
                            RunStatus.Succeeded,
                            $"stopped by '{by}'{(state.StopReason is { Length: > 0 } why ? $": {why}" : "")}"
                        ),
                        var failed => failed,
                    }
                    : new FinishRun(RunStatus.Cancelled, "cancelled")
            );
        return actions;
    }

    private static IReadOnlyList<PlanAction> Advance(Chain chain, RunState state)
    {
        // Allocated when needed: on most events the plan is empty or one start.
        List<PlanAction>? actions = null;
        List<string>? untriggered = null;
        List<PlanAction>? deadlines = null;
        var active = false;
        // By position, not by name: with hundreds of agents this loop runs for each of them on every event.
        var index = ChainIndex.Of(chain);
        var agents = state.AgentsOf(index);
        for (var i = 0; i < agents.Length; i++)
        {
            var spec = index.Agents[i];
            var agent = agents[i];
            switch (agent.Status)
            {
                case AgentStatus.Waiting when agent.Decision is Decision.Approve or Decision.Reject:
                    (actions ??= []).Add(new CompleteDecision(spec.Name, agent.Decision == Decision.Approve));
                    break;
                case AgentStatus.Waiting:
                    if (agent.DecisionDeadline is { } deadline && spec.Decision?.Default is { } fallback)
                        (actions ??= []).Add(new DecideByDefault(spec.Name, fallback, deadline));
                    active = true;
                    break;
                case AgentStatus.Running:
                    active = true;
                    break;
                case AgentStatus.Done
                    when Loops.WantsNextRound(chain, spec, agent, state) && Loops.NeedsDone(spec, state):
                    (actions ??= []).Add(new StartAgent(spec.Name, agent.Attempt + 1, DateTimeOffset.MinValue));
                    break;
                case AgentStatus.Failed when agent.RetryAt is { } at:
                    (actions ??= []).Add(new StartAgent(spec.Name, agent.Attempt + 1, at));
                    active = true;
                    break;
                case AgentStatus.Pending:
                    // One pass, no allocations: with hundreds of agents this runs for each of them on every hand-off.
                    AgentState? blocker = null;
                    var allDone = true;
                    var needs = index.Needs[i];
                    for (var n = 0; n < needs.Length; n++)
                    {
                        var need = needs[n] >= 0 ? agents[needs[n]] : state.Agent(spec.Needs[n]);
                        if (
                            need.Status
                                is not (
                                    AgentStatus.Done
                                    or AgentStatus.Pending
                                    or AgentStatus.Running
                                    or AgentStatus.Waiting
                                )
                            && need.RetryAt is null
                        )
                        {
                            blocker = need;
                            break;
                        }
                        allDone &= need.Status == AgentStatus.Done;
                    }
                    if (blocker is not null)
                    {
                        (actions ??= []).Add(
                            new SkipAgent(spec.Name, $"needs '{blocker.Name}', which {Describe(blocker.Status)}")
                        );
                        break;
                    }
                    if (!allDone)
                        break;
                    if (spec.Quorum is { } quorum && !Quorums.Met(quorum, state))
                    {
                        (untriggered ??= []).Add(spec.Name);
                        if (Quorums.Deadline(quorum, state) is { } at)
                            (deadlines ??= []).Add(
                                new SkipAgentAt(
                                    spec.Name,
                                    $"{Quorums.WhyNotMet(quorum, state)} within its timeout ({quorum.Timeout:c})",
                                    at
                                )
                            );
                        break;
                    }
                    if (spec.On.Count == 0 || Conditions.Trigger(chain, spec, state, after: 0) is not null)
                        (actions ??= []).Add(new StartAgent(spec.Name, agent.Attempt + 1, DateTimeOffset.MinValue));
                    else
                        (untriggered ??= []).Add(spec.Name);
                    break;
            }
        }
        if (actions is not null || active)
            return deadlines is null ? (actions ?? (IReadOnlyList<PlanAction>)[]) : [.. actions ?? [], .. deadlines];

        // Nothing runs and nothing can start: agents still waiting for an `on:` event will never get it.
        var neverStarted = chain.Agents.Where(a => state.Agent(a.Name).Status == AgentStatus.Pending).ToList();
        if (neverStarted.Count > 0)
            return
            [
                .. neverStarted.Select(a => new SkipAgent(
                    a.Name,
                    untriggered?.Contains(a.Name) == true
                        ? a.Quorum is { } q && !Quorums.Met(q, state)
                            ? Quorums.WhyNotMet(q, state)
                            : Conditions.WhyNotTriggered(a, state)
                        : "its dependencies never finished"
                )),
            ];
        return [Finish(chain, state)];
    }

    private static FinishRun Finish(Chain chain, RunState state)
    {
        var failed = state.Agents.Values.Where(a => a.Status == AgentStatus.Failed).ToList();
        if (failed.Count > 0)
            return new FinishRun(
                RunStatus.Failed,
                string.Join(
                    "; ",
                    failed.Select(f =>
                        $"agent '{f.Name}' failed{(f.FailureMessage ?? f.Reason) switch { null => "", var why => $": {why}" }}"
                    )
                )
            );
        if (Loops.Exhausted(chain, state) is { } exhausted)
            return new FinishRun(RunStatus.Failed, exhausted);
        var handled = chain.Agents.SelectMany(a => a.On).ToHashSet(StringComparer.Ordinal);
        var rejected = state
            .Agents.Values.Where(a =>
                a.Status == AgentStatus.Rejected && !handled.Contains(EventTypes.For(a.Name, EventTypes.Rejected))
            )
            .Select(a => a.Name)
            .ToList();
        if (rejected.Count > 0)
            return new FinishRun(
                RunStatus.Rejected,
                $"decision {string.Join(", ", rejected.Select(r => $"'{r}'"))} was rejected"
            );
        return new FinishRun(RunStatus.Succeeded, null);
    }

    private static string Describe(AgentStatus status) =>
        status switch
        {
            AgentStatus.Failed => "failed",
            AgentStatus.Skipped => "was skipped",
            AgentStatus.Rejected => "was rejected",
            AgentStatus.Cancelled => "was cancelled",
            _ => status.Wire(),
        };
}
