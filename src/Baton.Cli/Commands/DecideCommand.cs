using System.CommandLine;
using Baton.Events;
using Baton.Runs;

namespace Baton.Cli.Commands;

public static class DecideCommand
{
    public static Command Create()
    {
        var runArgument = RunArgument.Create();
        var agentArgument = new Argument<string>("agent") { Description = "The decision agent that is waiting" };
        var decisionArgument = new Argument<string>("decision") { Description = "approve, reject or changes" };
        decisionArgument.AcceptOnlyFromAmong([.. Enum.GetValues<Decision>().Select(d => d.Wire())]);
        var message = new Option<string?>("--message", "-m")
        {
            Description = "A comment; with 'changes' it is the feedback the agent re-runs with",
        };
        var noResume = new Option<bool>("--no-resume")
        {
            Description = "Only record the decision; don't continue the run in this process",
        };
        var command = new Command(
            "decide",
            "Answer a decision (works with no engine running; then continues the run here)"
        )
        {
            Arguments = { runArgument, agentArgument, decisionArgument },
            Options = { message, noResume },
        };
        command.SetAction(
            (parse, _) =>
                CommandAction.Run(async () =>
                {
                    var workspace = CliWorkspace.Open(parse);
                    var run = RunFolder.Find(workspace.RunsRoot, parse.GetValue(runArgument)!);
                    var agent = parse.GetValue(agentArgument)!;
                    var decision = DecisionRules.Parse(parse.GetValue(decisionArgument));
                    var comment = parse.GetValue(message);
                    var source = await DecisionInbox.WriteAsync(
                        run,
                        DecisionInbox.Prepare(
                            run,
                            agent,
                            decision,
                            DecisionInbox.MaskComment(workspace, comment),
                            Environment.UserName,
                            DecisionInbox.LocalUser(run)
                        )
                    );
                    Console.WriteLine($"{agent}: {decision.Wire()} recorded");
                    if (RunLock.IsHeld(run.LockFile))
                    {
                        var verdict = await DecisionInbox.WaitForVerdictAsync(run, source, TimeSpan.FromSeconds(30));
                        if (verdict.Refusal is { } refusal)
                            throw new UsageException($"the engine refused the decision: {refusal}");
                        await verdict.Durable;
                        return ExitCodes.Succeeded;
                    }
                    if (parse.GetValue(noResume))
                    {
                        Console.WriteLine($"continue with: baton resume {run.Id}");
                        return ExitCodes.Succeeded;
                    }
                    return await RunExecution.ExecuteAsync(workspace, run, json: false);
                })
        );
        return command;
    }
}
