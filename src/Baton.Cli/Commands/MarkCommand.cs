using System.CommandLine;
using Baton.Prompts;
using Baton.Runs;

namespace Baton.Cli.Commands;

/// <summary>`baton mark RUN bad|good`: a person's verdict, which last-known-good respects (docs/prompts.md).</summary>
public static class MarkCommand
{
    public static Command Create()
    {
        var runArgument = RunArgument.Create();
        var verdict = new Argument<string>("verdict") { Description = "bad or good" };
        verdict.AcceptOnlyFromAmong(RunMark.Bad, RunMark.Good);
        var command = new Command(
            "mark",
            "Mark a finished run bad (its prompt versions are then never the last known good) or good again"
        )
        {
            Arguments = { runArgument, verdict },
        };
        command.SetAction(
            (parse, _) =>
                CommandAction.Run(() =>
                {
                    var workspace = CliWorkspace.Open(parse);
                    var run = RunFolder.Find(workspace.RunsRoot, parse.GetValue(runArgument)!);
                    var status = RunSummary.Load(run).Status;
                    if (!status.IsFinished())
                        throw new UsageException($"run {run.Id} is {status.Wire()}; only a finished run can be marked");
                    var mark = new RunMark(parse.GetValue(verdict)!, DateTimeOffset.UtcNow, Environment.UserName);
                    RunMark.Write(run.Path, mark);
                    Console.WriteLine($"run {run.Id} marked {mark.Verdict}");
                    return Task.FromResult(ExitCodes.Succeeded);
                })
        );
        return command;
    }
}
