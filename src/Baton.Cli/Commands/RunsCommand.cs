using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Baton.Runs;

namespace Baton.Cli.Commands;

public static class RunsCommand
{
    public static Command Create()
    {
        var status = new Option<string?>("--status")
        {
            Description =
                "Only runs with this status (queued, running, waiting, succeeded, failed, rejected, cancelled)",
        };
        var json = new Option<bool>("--json") { Description = "JSON list" };
        var command = new Command("runs", "List runs, newest last") { Options = { status, json } };
        command.SetAction(
            (parse, _) =>
                CommandAction.Run(() =>
                {
                    var workspace = CliWorkspace.Open(parse);
                    var wanted = parse.GetValue(status);
                    HalfMadeRuns.RemoveAbandoned(workspace.RunsRoot, Console.Error.WriteLine);
                    var summaries = RunFolder
                        .All(workspace.RunsRoot)
                        .Select(run => (Run: run, Summary: RunSummary.Load(run)))
                        .Where(r =>
                            !(
                                r.Summary.Status == RunStatus.Queued
                                && HalfMadeRuns.IsHalfMade(r.Run)
                                && HalfMadeRuns.RemoveIfAbandoned(r.Run, Console.Error.WriteLine)
                            )
                        )
                        .Select(r => r.Summary)
                        .Where(s => wanted is null || s.Status.Wire() == wanted)
                        .ToList();
                    if (parse.GetValue(json))
                    {
                        Console.WriteLine(JsonSerializer.Serialize(summaries, RunSummaryJson.Default.ListRunSummary));
                        return Task.FromResult(ExitCodes.Succeeded);
                    }
                    if (summaries.Count == 0)
                        Console.WriteLine(wanted is null ? "no runs yet" : $"no {wanted} runs");
                    foreach (var s in summaries)
                    {
                        var started = s.Started?.ToLocalTime()
                            .ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
                            ?? "";
                        var took = s.Started is { } a && s.Finished is { } b ? Terminal.Elapsed(b - a) : "";
                        Console.WriteLine(
                            $"{s.Id, -48} {s.Status.Wire(), -10} {started, -19} {took, 8}{(s.CostUsd > 0 ? $"  ${s.CostUsd:0.0000}" : "")}"
                        );
                    }
                    return Task.FromResult(ExitCodes.Succeeded);
                })
        );
        return command;
    }
}
