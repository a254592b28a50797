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
        foreach (var pending in PendingDecision.Of(run, events, RunState.Fold(events)))
        {
            var options = pending.Options.Select(o => o.Wire()).ToList();
            Console.WriteLine();
            Console.WriteLine($"┌─ decision: {pending.Agent} (round {pending.Round})");
            foreach (var line in pending.ReadShown(run).TrimEnd().Split('\n'))
                Console.WriteLine($"│ {line}");
            Console.WriteLine("└─");
            var keys = string.Join(" / ", options.Select(x => $"[{x[0]}]{x[1..]}"));
            while (true)
            {
                Console.Write($"{keys} (or Enter to leave it waiting): ");
                var answer = (Console.ReadLine() ?? "").Trim().ToLowerInvariant();
                if (answer.Length == 0)
                    return false;
                var index = options.FindIndex(x => x.StartsWith(answer[0]));
                if (index < 0)
                    continue;
                var decision = pending.Options[index];
                var comment = "";
                if (decision == Decision.Changes)
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
                await DecisionInbox.WriteAsync(
                    run,
                    DecisionInbox.Prepare(
                        run,
                        pending.Agent,
                        decision,
                        DecisionInbox.MaskComment(workspace, comment),
                        Environment.UserName,
                        DecisionInbox.LocalUser(run)
                    )
                );
                break;
            }
        }
        return true;
    }
}
