using System.CommandLine;
using Baton.Events;
using Baton.Runs;

namespace Baton.Cli.Commands;

public static class EventsCommand
{
    public static Command Create()
    {
        var runArgument = RunArgument.Create();
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing events until the run finishes" };
        var json = new Option<bool>("--json") { Description = "One JSON event per line" };
        var command = new Command("events", "The run's events, in order")
        {
            Arguments = { runArgument },
            Options = { follow, json },
        };
        command.SetAction(
            (parse, cancellationToken) =>
                CommandAction.Run(async () =>
                {
                    var workspace = CliWorkspace.Open(parse);
                    var run = RunFolder.Find(workspace.RunsRoot, parse.GetValue(runArgument)!);
                    var asJson = parse.GetValue(json);
                    await foreach (var e in Follow(run, parse.GetValue(follow), cancellationToken))
                        Console.WriteLine(asJson ? EventLine.Json(e) : $"{e.Seq:D6}  {EventLine.Format(e)}");
                    return ExitCodes.Succeeded;
                })
        );
        return command;
    }

    /// <summary>The run's events; when following, new ones as they are written, until run.finished.</summary>
    public static async IAsyncEnumerable<RunEvent> Follow(
        RunFolder run,
        bool follow,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken
    )
    {
        long last = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var finished = false;
            foreach (var e in EventReader.ReadAll(run.Events, afterSeq: last))
            {
                last = e.Seq;
                finished |= e.Type == EventTypes.RunFinished;
                yield return e;
            }
            if (!follow || finished)
                yield break;
            try
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }
}
