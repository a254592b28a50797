using System.CommandLine;
using Baton.Runs;

namespace Baton.Cli.Commands;

public static class ResumeCommand
{
    public static Command Create()
    {
        var runArgument = RunArgument.Create();
        var json = new Option<bool>("--json") { Description = "Print the run's summary as JSON at the end" };
        var command = new Command(
            "resume",
            "Continue a run whose engine stopped (finished agents are not re-run; interrupted ones are)"
        )
        {
            Arguments = { runArgument },
            Options = { json },
        };
        command.SetAction(
            (parse, _) =>
                CommandAction.Run(async () =>
                {
                    var workspace = CliWorkspace.Open(parse);
                    var run = RunFolder.Find(workspace.RunsRoot, parse.GetValue(runArgument)!);
                    // Nothing to resume: no event was ever written and no one was told the run exists.
                    if (HalfMadeRuns.IsHalfMade(run) && HalfMadeRuns.RemoveIfAbandoned(run, Console.Error.WriteLine))
                        throw new RunNotFoundException(
                            $"run {run.Id} was never fully created, so there is nothing to resume; start the chain again with `baton run`"
                        );
                    return await RunExecution.ExecuteAsync(workspace, run, parse.GetValue(json));
                })
        );
        return command;
    }
}

internal static class RunArgument
{
    public static Argument<string> Create() => new("run") { Description = "Run id (or 'last' for the newest run)" };
}
