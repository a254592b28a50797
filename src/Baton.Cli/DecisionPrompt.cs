using Baton.Events;
using Baton.Runs;

namespace Baton.Cli;

/// <summary>The decision card in a terminal: what the reviewer is shown, then a/r/c and a comment.</summary>
internal static class DecisionPrompt
{
    /// <returns>False when the person declined to answer now (the run stays waiting).</returns>
    public static async Task<bool> AskAsync(Workspaces.Workspace workspace, RunFolder run)
    {
        var events = EventReader.ReadAll(run.Events);
        var state = RunState.Fold(events);
        foreach (var agent in state.Agents.Values.Where(a => a.Status == AgentStatus.Waiting && a.Decision is null))
        {
            var waiting = events.Last(e => e.Type == EventTypes.For(agent.Name, EventTypes.Waiting));
            var options = DecisionInbox.OfferedOptions(waiting);
            Console.WriteLine();
            Console.WriteLine($"┌─ decision: {agent.Name} (round {agent.Attempt})");
            foreach (
                var line in File.ReadAllText(Path.Combine(run.Path, waiting.GetString("shown") ?? ""))
                    .TrimEnd()
                    .Split('\n')
            )
                Console.WriteLine($"│ {line}");
            Console.WriteLine("└─");
            var keys = string.Join(" / ", options.Select(x => $"[{x[0]}]{x[1..]}"));
            while (true)
            {
                Console.Write($"{keys} (or Enter to leave it waiting): ");
                var answer = (Console.ReadLine() ?? "").Trim().ToLowerInvariant();
                if (answer.Length == 0)
                    return false;
                var decision = options.FirstOrDefault(x => x.StartsWith(answer[0]));
                if (decision is null)
                    continue;
                var comment = "";
                if (decision == "changes")
                {
                    Console.Write("what should change? ");
                    comment = Console.ReadLine() ?? "";
                    if (comment.Trim().Length == 0)
                        continue;
                }
                else
                {
                    Console.Write("comment (optional): ");
                    comment = Console.ReadLine() ?? "";
                }
                await DecisionInbox.SubmitAsync(
                    run,
                    agent.Name,
                    decision,
                    DecisionInbox.MaskComment(workspace, comment),
                    Environment.UserName
                );
                break;
            }
        }
        return true;
    }
}
