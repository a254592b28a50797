using Baton.Events;

namespace Baton.Runs;

/// <summary>
/// A decision waiting for an answer, as a person is shown it (the CLI's prompt, the web inbox's card): built here
/// once from the run's events. <see cref="ShownHash"/> goes back with the answer, so nobody approves what they did
/// not see. Its JSON (the decisions API) is documented in docs/server.md.
/// </summary>
public sealed record PendingDecision(
    string Run,
    string Chain,
    string Agent,
    int Round,
    int MaxRounds,
    IReadOnlyList<Decision> Options,
    string Shown,
    string ShownHash,
    DateTimeOffset Since
)
{
    /// <summary>What the last `changes` said (round 2 on), else null.</summary>
    public string? LastComment { get; init; }

    /// <summary>The decisions of a run that wait for an answer, in chain order of their agents' first events.</summary>
    public static IEnumerable<PendingDecision> Of(RunFolder run, IReadOnlyList<RunEvent> events, RunState state)
    {
        foreach (var agent in state.Agents.Values.Where(DecisionRules.IsAwaitingAnswer))
        {
            var waiting = events.Last(e => e.Agent == agent.Name && e.Body is AgentWaiting);
            var asked = (AgentWaiting)waiting.Body;
            yield return new PendingDecision(
                run.Id,
                state.Chain ?? "",
                agent.Name,
                agent.Attempt,
                asked.MaxRounds,
                asked.Options,
                asked.Shown,
                asked.ShownHash,
                waiting.Time
            )
            {
                LastComment = events.LastOrDefault(e => e.Agent == agent.Name && e.Body is AgentDecided)?.Body
                    is AgentDecided { Comment: var comment }
                    ? comment
                    : null,
            };
        }
    }

    /// <summary>The text the reviewer decides on (agents/&lt;agent&gt;/shown.md).</summary>
    public string ReadShown(RunFolder run) => File.ReadAllText(Path.Combine(run.Path, Shown));

    /// <summary>What round Round-1 showed, for a diff (null in round 1 or when it is gone).</summary>
    public string? ReadPreviousShown(RunFolder run)
    {
        var file = Path.Combine(
            run.AgentDir(Agent),
            "attempts",
            (Round - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "shown.md"
        );
        return File.Exists(file) ? File.ReadAllText(file) : null;
    }
}
