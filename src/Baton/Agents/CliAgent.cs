namespace Baton.Agents;

/// <summary>
/// `cli:` agents: a terminal agent tool (claude, codex, aider or one from baton.yaml `clis:`) run
/// directly — no shell — with the rendered task as its last argument; its stdout is the output.
/// The exact command line is kept in agents/&lt;name&gt;/command.txt.
/// </summary>
public sealed class CliAgent : IAgentRunner
{
    public async Task<AgentResult> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var spec = context.Agent.Cli!;
        if (!context.Workspace.Config.Clis.TryGetValue(spec.Tool, out var tool))
            return AgentResult.Failed(
                "config",
                $"no CLI tool '{spec.Tool}': define it under 'clis:' in baton.yaml (built in: {string.Join(", ", Workspaces.CliTool.BuiltIn.Keys)})"
            );
        var task = context.RenderTemplate(spec.Task);
        string[] arguments = [.. tool.Command.Skip(1), task];
        await File.WriteAllLinesAsync(
            Path.Combine(context.AgentDir, "command.txt"),
            [tool.Command[0], .. arguments],
            cancellationToken
        );
        return await ProcessAgent.RunAsync(context, tool.Command[0], arguments, cancellationToken);
    }
}
