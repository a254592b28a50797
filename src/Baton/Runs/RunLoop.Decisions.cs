using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Baton.Chains;
using Baton.Events;

namespace Baton.Runs;

internal sealed partial class RunLoop
{
    public const string Approve = "approve",
        Reject = "reject",
        Changes = "changes";

    /// <summary>
    /// A decision agent renders what the reviewer will see into agents/&lt;name&gt;/shown.md, writes
    /// `waiting` with its hash, and that is all: no process, no thread. The run parks until a
    /// `decided` event arrives through the inbox.
    /// </summary>
    private void AskForDecision(AgentSpec spec, int round, string agentDir)
    {
        var decision = spec.Decision!;
        var shown = RenderTemplate(spec.Name, decision.Show);
        var shownFile = Path.Combine(agentDir, "shown.md");
        File.WriteAllText(shownFile, shown);
        var options = Offered(decision, round);
        var deadline = decision.Timeout is { } timeout ? DateTimeOffset.UtcNow + timeout : (DateTimeOffset?)null;
        Append(
            EventTypes.For(spec.Name, EventTypes.Waiting),
            spec.Name,
            round,
            EventJson.Data(
                ("shown", Path.GetRelativePath(_run.Path, shownFile)),
                ("shown_hash", ShownHash(shown)),
                ("options", JsonSerializer.SerializeToElement(options, RunJson.Default.ListString)),
                ("round", round),
                ("max_rounds", decision.MaxRounds),
                ("deadline", deadline?.ToString("O", CultureInfo.InvariantCulture))
            )
        );
    }

    /// <summary>The last round offers no more `changes`.</summary>
    private static List<string> Offered(DecisionSpec decision, int round) =>
        [.. decision.Options.Where(o => o != Changes || round < decision.MaxRounds)];

    public static string ShownHash(string shown) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(shown)));

    /// <summary>
    /// Checks a `decided` file from the inbox against the waiting decision and returns the event data
    /// the engine records — or why it is refused. The first valid answer wins; a second one for the
    /// same round finds the agent no longer waiting.
    /// </summary>
    private (JsonElement? Data, string? Refusal) CheckDecision(string agent, JsonElement given)
    {
        var spec = _chain.Agent(agent);
        var state = _state.Agent(agent);
        if (spec?.Decision is null)
            return (null, $"'{agent}' is not a decision agent");
        if (state.Status != AgentStatus.Waiting || state.Decision is not null)
            return (null, $"'{agent}' is not waiting for a decision (it is {state.Status})");
        string? Get(string name) =>
            given.ValueKind == JsonValueKind.Object
            && given.TryGetProperty(name, out var v)
            && v.ValueKind == JsonValueKind.String
                ? v.GetString()
                : null;
        var decision = Get("decision");
        var options = Offered(spec.Decision, state.Attempt);
        if (decision is null || !options.Contains(decision))
            return (null, $"decision must be one of {string.Join(", ", options)}, not '{decision}'");
        if (Get("shown_hash") is { } hash && hash != state.ShownHash)
            return (null, "what was decided on is not what is waiting now (stale card)");
        if (
            given.ValueKind == JsonValueKind.Object
            && given.TryGetProperty("round", out var r)
            && r.TryGetInt32(out var round)
            && round != state.Attempt
        )
            return (null, $"that answer was for round {round}; round {state.Attempt} is waiting");
        var rerun = decision == Changes ? DecisionRounds.RerunSet(_chain, spec) : null;
        return (
            EventJson.Data(
                ("decision", decision),
                ("by", Get("by") ?? "unknown"),
                ("comment", Get("comment") ?? ""),
                ("round", state.Attempt),
                ("shown_hash", state.ShownHash),
                (
                    "rerun",
                    rerun is null ? null : JsonSerializer.SerializeToElement(rerun.ToList(), RunJson.Default.ListString)
                )
            ),
            null
        );
    }

    private void CompleteDecision(string agent, bool approved)
    {
        var round = _state.Agent(agent).Attempt;
        if (approved)
        {
            File.WriteAllText(_run.AgentOutput(agent), Approve + "\n");
            Append(
                EventTypes.For(agent, EventTypes.Done),
                agent,
                round,
                EventJson.Data(
                    ("output", Path.GetRelativePath(_run.Path, _run.AgentOutput(agent))),
                    ("decision", Approve)
                )
            );
            if (_chain.Agent(agent)!.Emits is { } emitted)
                Append(emitted, agent, round, EventJson.Data(("from", agent)));
        }
        else
        {
            File.WriteAllText(_run.AgentOutput(agent), Reject + "\n");
            Append(EventTypes.For(agent, EventTypes.Rejected), agent, round, EventJson.Data(("decision", Reject)));
        }
    }

    private void DecideByDefault(string agent, string decision)
    {
        var (data, refusal) = CheckDecision(
            agent,
            EventJson.Data(
                ("decision", decision),
                ("by", "timeout"),
                ("comment", "no answer before the decision's timeout")
            )
        );
        if (data is not null)
            Append(EventTypes.For(agent, EventTypes.Decided), agent, _state.Agent(agent).Attempt, data);
        else
            Options.OnWarning?.Invoke($"{agent}: default decision '{decision}' refused: {refusal}");
    }
}
