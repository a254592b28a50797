namespace Baton.Agents;

/// <summary>
/// `run:` agents. The script is written verbatim to agents/&lt;name&gt;/run.sh — never template-expanded,
/// so inputs can't be spliced into code — and run by bash without profiles, failing fast.
/// </summary>
public sealed class BashAgent : IAgentRunner
{
    public async Task<AgentResult> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var script = Path.Combine(context.AgentDir, "run.sh");
        await File.WriteAllTextAsync(script, context.Agent.Script!.Text, cancellationToken);
        return await ProcessAgent.RunAsync(
            context,
            "bash",
            ["--noprofile", "--norc", "-eo", "pipefail", script],
            cancellationToken
        );
    }
}
