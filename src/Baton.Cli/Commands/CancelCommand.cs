using System.CommandLine;
using Baton.Events;
using Baton.Runs;

namespace Baton.Cli.Commands;

public static class CancelCommand
{
    public static Command Create()
    {
        var runArgument = RunArgument.Create();
        var command = new Command("cancel", "Cancel a run: its running agents are killed (whole process group)")
        {
            Arguments = { runArgument },
        };
        command.SetAction(
            (parse, _) =>
                CommandAction.Run(async () =>
                {
                    var workspace = CliWorkspace.Open(parse);
                    var run = RunFolder.Find(workspace.RunsRoot, parse.GetValue(runArgument)!);
                    var before = RunSummary.Load(run);
                    if (before.Status.IsFinished())
                    {
                        Console.WriteLine($"run {run.Id} already {before.Status.Wire()}");
                        return ExitCodes.Succeeded;
                    }
                    await InboxWriter.WriteAsync(run.Inbox, new RunCancel(Environment.UserName));
                    if (!RunLock.IsHeld(run.LockFile))
                    {
                        // No engine owns the run: become its engine just long enough to carry the cancel out.
                        var outcome = await new RunEngine(workspace, new EngineOptions()).RunAsync(run);
                        Console.WriteLine($"run {run.Id} {outcome.Status.Wire()}");
                        return ExitCodes.Succeeded;
                    }
                    var deadline = DateTime.UtcNow.AddSeconds(60);
                    while (DateTime.UtcNow < deadline)
                    {
                        var status = RunSummary.Load(run).Status;
                        if (status.IsFinished())
                        {
                            Console.WriteLine($"run {run.Id} {status.Wire()}");
                            return ExitCodes.Succeeded;
                        }
                        await Task.Delay(100);
                    }
                    Console.Error.WriteLine(
                        $"asked the engine to cancel run {run.Id}; it has not finished yet (see: baton show {run.Id})"
                    );
                    return ExitCodes.Failed;
                })
        );
        return command;
    }
}
