using Baton.Chains;
using Baton.Events;

namespace Baton.Runs;

/// <summary>
/// The rules of a decision, written once for the engine, the CLI and the server: which options a round offers,
/// who may answer and with what, and what each answer does. The engine is the judge (it checks every answer it
/// takes from the inbox); the CLI and the server ask the same rules first so a person hears why at once.
/// </summary>
public static class DecisionRules
{
    /// <summary>What a round offers: the decision's options, without `changes` in the last round (max_rounds).</summary>
    public static IReadOnlyList<Decision> Offered(DecisionSpec decision, int round) =>
        [.. decision.Options.Where(o => o != Decision.Changes || round < decision.MaxRounds)];

    /// <summary>Whether the agent is waiting for an answer (a decided one waits only for the engine to act).</summary>
    public static bool IsAwaitingAnswer(AgentState agent) =>
        agent.Status == AgentStatus.Waiting && agent.Decision is null;

    /// <summary>Who may answer: a reviewer, and only a reviewer. Each host says who its caller is (Answerer).</summary>
    public static bool MayAnswer(Answerer who) => who == Answerer.Reviewer;

    /// <summary>The one check of who may answer, for every host before anything else.</summary>
    /// <exception cref="DecisionRefusedException">NotAllowed: the caller may see the decision but not answer it.</exception>
    public static void RequireAnswerer(Answerer who)
    {
        if (!MayAnswer(who))
            throw new DecisionRefusedException(
                DecisionRefusal.NotAllowed,
                who == Answerer.Agent
                    ? "only the run's own user answers a decision (through `baton decide` or the API); an agent or another user cannot"
                    : "answering a decision needs the reviewer role (a viewer may see it, not answer it)"
            );
    }

    /// <summary>
    /// Who wrote a file in the run's inbox top level (decisions, cancels): the engine's own user (the CLI's user, the
    /// server) is a reviewer; anyone else — an agent runs as the workspace's user and writes only its
    /// inbox/&lt;agent&gt;/ — is an agent, and its file is not an answer even if it could write there.
    /// <paramref name="writerUid"/> is negative when the file's owner could not be read (it went away): the read
    /// that follows decides.
    /// </summary>
    public static Answerer WriterOf(long writerUid, uint engineUid) =>
        writerUid < 0 || writerUid == engineUid ? Answerer.Reviewer : Answerer.Agent;

    /// <summary>What a person must send with an answer: `changes` is the feedback the agent re-runs with.</summary>
    /// <exception cref="DecisionRefusedException">MissingComment.</exception>
    public static void RequireComment(Decision decision, string? comment)
    {
        if (decision == Decision.Changes && string.IsNullOrWhiteSpace(comment))
            throw new DecisionRefusedException(
                DecisionRefusal.MissingComment,
                "'changes' needs a comment: it is the feedback the agent re-runs with"
            );
    }

    /// <summary>Parses an answer's decision as people and files spell it.</summary>
    /// <exception cref="DecisionRefusedException">NotAnOption: not one of approve, reject, changes.</exception>
    public static Decision Parse(string? text) =>
        DecisionWire.TryParse(text, out var decision)
            ? decision
            : throw new DecisionRefusedException(
                DecisionRefusal.NotAnOption,
                $"'decision' must be approve, reject or changes, not '{text}'"
            );

    /// <summary>
    /// Checks an answer against the run's chain and state, and returns the event it makes: the first valid answer
    /// wins; a second one for the same round finds the agent no longer waiting. `changes` re-runs the agents
    /// DecisionRounds names; approve and reject are carried out by the planner (CompleteDecision).
    /// </summary>
    /// <exception cref="DecisionRefusedException">Why the answer is refused (its Refusal says which rule).</exception>
    public static AgentDecided Check(Chain chain, RunState state, string agent, DecisionAnswer answer) =>
        Check(chain, chain.Agent(agent) is null ? null : state.Agent(agent), agent, answer);

    /// <summary>Check by the agent's own state alone (null: the run has no such agent), which is all the rules read.</summary>
    /// <exception cref="DecisionRefusedException">Why the answer is refused (its Refusal says which rule).</exception>
    public static AgentDecided Check(Chain chain, AgentState? current, string agent, DecisionAnswer answer)
    {
        if (chain.Agent(agent) is not { } spec || current is null)
            throw new DecisionRefusedException(
                DecisionRefusal.NoSuchAgent,
                $"the run has no agent '{agent}' (agents: {string.Join(", ", chain.Agents.Select(a => a.Name))})"
            );
        if (spec.Decision is null)
            throw new DecisionRefusedException(DecisionRefusal.NotADecision, $"'{agent}' is not a decision agent");
        if (!IsAwaitingAnswer(current))
            throw new DecisionRefusedException(
                DecisionRefusal.NotWaiting,
                $"'{agent}' is not waiting for a decision (it is {current.Status.Wire()}{(current.Decision is { } d ? $", already decided: {d.Wire()}" : "")})"
            );
        var options = Offered(spec.Decision, current.Attempt);
        if (!DecisionWire.TryParse(answer.Decision, out var decision) || !options.Contains(decision))
            throw new DecisionRefusedException(
                DecisionRefusal.NotAnOption,
                $"'{answer.Decision}' is not an option here (options: {string.Join(", ", options.Select(o => o.Wire()))})"
            );
        if (answer.ShownHash is { } hash && hash != current.ShownHash)
            throw new DecisionRefusedException(
                DecisionRefusal.StaleCard,
                "what was decided on is not what is waiting now (stale card)"
            );
        if (answer.Round is { } round && round != current.Attempt)
            throw new DecisionRefusedException(
                DecisionRefusal.StaleCard,
                $"that answer was for round {round}; round {current.Attempt} is waiting"
            );
        return new AgentDecided(
            decision,
            answer.By ?? "unknown",
            answer.Comment ?? "",
            current.Attempt,
            current.ShownHash,
            decision == Decision.Changes ? DecisionRounds.RerunSet(chain, spec) : null
        );
    }
}

/// <summary>
/// Who is answering, in the core's terms: the server maps its roles to it (Roles.Answerer), the engine's inbox a
/// file's writer (DecisionRules.WriterOf), the CLI its own user against the run's.
/// </summary>
public enum Answerer
{
    /// <summary>An agent of the run (the workspace's user): never answers.</summary>
    Agent,

    /// <summary>Sees decisions, does not answer them (the server's viewer role).</summary>
    Viewer,

    /// <summary>Answers decisions (the server's reviewer, editor and owner roles; the CLI as the run's own user).</summary>
    Reviewer,
}

/// <summary>Which rule refused an answer: each host maps it to its own answer (the server: 404, 409, 400, 403).</summary>
public enum DecisionRefusal
{
    /// <summary>The caller may not answer decisions (Answerer).</summary>
    NotAllowed,

    /// <summary>The run has no agent of that name.</summary>
    NoSuchAgent,

    /// <summary>The agent is not a decision.</summary>
    NotADecision,

    /// <summary>The decision is not waiting (not reached yet, already answered, or the run finished).</summary>
    NotWaiting,

    /// <summary>The answer is not one the round offers.</summary>
    NotAnOption,

    /// <summary>`changes` without a comment.</summary>
    MissingComment,

    /// <summary>The answer was for another card (shown_hash) or round than the one waiting.</summary>
    StaleCard,

    /// <summary>The engine did not take the answer in time.</summary>
    NoEngineAnswer,
}

/// <summary>The decision cannot be taken; <see cref="Refusal"/> says which rule, the message says it to a person.</summary>
public sealed class DecisionRefusedException(DecisionRefusal refusal, string message) : Exception(message)
{
    public DecisionRefusal Refusal { get; } = refusal;
}
