using System.Security.Cryptography;
using System.Text;
using Baton.Chains;
using Baton.Events;

namespace Baton.Runs;

internal sealed partial class RunLoop
{
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
        Append(
            new AgentWaiting(
                Path.GetRelativePath(_run.Path, shownFile),
                ShownHash(shown),
                DecisionRules.Offered(decision, round),
                round,
                decision.MaxRounds,
                decision.Timeout is { } timeout ? Now + timeout : null
            ),
            spec.Name,
            round
        );
    }

    public static string ShownHash(string shown) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(shown)));

    /// <summary>
    /// Checks an answer from the inbox against the waiting decision (DecisionRules) and returns the event the
    /// engine records — or why it is refused.
    /// </summary>
    private (AgentDecided? Decided, string? Refusal) CheckDecision(string agent, DecisionAnswer answer)
    {
        try
        {
            return (DecisionRules.Check(_chain, _state, agent, answer), null);
        }
        catch (DecisionRefusedException e)
        {
            return (null, e.Message);
        }
    }

    private void CompleteDecision(string agent, bool approved)
    {
        var round = _state.Agent(agent).Attempt;
        var decision = approved ? Decision.Approve : Decision.Reject;
        File.WriteAllText(_run.AgentOutput(agent), decision.Wire() + "\n");
        if (approved)
        {
            Append(
                new AgentDone(Path.GetRelativePath(_run.Path, _run.AgentOutput(agent)), Decision: Decision.Approve),
                agent,
                round
            );
            if (_chain.Agent(agent)!.Emits is { } emitted)
                Append(new Emitted(emitted, agent), agent, round);
        }
        else
            Append(new AgentRejected(), agent, round);
    }

    private void DecideByDefault(string agent, Decision decision)
    {
        var (decided, refusal) = CheckDecision(
            agent,
            new DecisionAnswer(decision.Wire(), "no answer before the decision's timeout", "timeout", null, null)
        );
        if (decided is not null)
            Append(decided, agent, _state.Agent(agent).Attempt);
        else
            Options.OnWarning?.Invoke($"{agent}: default decision '{decision.Wire()}' refused: {refusal}");
    }
}
