using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Baton.Costs;

namespace Baton.Cli.Commands;

public static class CostsCommand
{
    public static Command Create()
    {
        var by = new Option<string>("--by")
        {
            Description = "Group by chain, agent, model or day",
            DefaultValueFactory = _ => "chain",
        };
        by.AcceptOnlyFromAmong(CostReport.Groupings);
        var since = new Option<string?>("--since")
        {
            Description = "Only calls on or after this day (YYYY-MM-DD, UTC)",
        };
        var json = new Option<bool>("--json") { Description = "JSON list" };
        var command = new Command("costs", "What runs cost, from every run's ledger") { Options = { by, since, json } };
        command.SetAction(
            (parse, _) =>
                CommandAction.Run(() =>
                {
                    var workspace = CliWorkspace.Open(parse);
                    DateOnly? from = null;
                    if (parse.GetValue(since) is { } text)
                        from = DateOnly.TryParseExact(
                            text,
                            "yyyy-MM-dd",
                            CultureInfo.InvariantCulture,
                            DateTimeStyles.None,
                            out var d
                        )
                            ? d
                            : throw new UsageException($"--since '{text}' is not a date like 2026-11-01");
                    var rows = CostReport.Query(workspace.RunsRoot, parse.GetValue(by)!, from);
                    if (parse.GetValue(json))
                    {
                        Console.WriteLine(
                            new JsonArray([
                                .. rows.Select(r => new JsonObject
                                {
                                    [parse.GetValue(by)!] = r.Key,
                                    ["calls"] = r.Calls,
                                    ["input_tokens"] = r.InputTokens,
                                    ["output_tokens"] = r.OutputTokens,
                                    ["cached_input_tokens"] = r.CachedInputTokens,
                                    ["reasoning_tokens"] = r.ReasoningTokens,
                                    ["usd"] = r.Usd,
                                    ["estimated_calls"] = r.EstimatedCalls,
                                }),
                            ]).ToJsonString()
                        );
                        return Task.FromResult(ExitCodes.Succeeded);
                    }
                    if (rows.Count == 0)
                    {
                        Console.WriteLine("no LLM calls recorded yet");
                        return Task.FromResult(ExitCodes.Succeeded);
                    }
                    Console.WriteLine(
                        $"{parse.GetValue(by), -40} {"calls", 6} {"input", 10} {"output", 10} {"usd", 10}"
                    );
                    foreach (var r in rows)
                        Console.WriteLine(
                            string.Create(
                                CultureInfo.InvariantCulture,
                                $"{r.Key, -40} {r.Calls, 6} {r.InputTokens, 10} {r.OutputTokens, 10} {r.Usd, 10:0.0000}{(r.EstimatedCalls > 0 ? $"  ({r.EstimatedCalls} estimated)" : "")}"
                            )
                        );
                    Console.WriteLine(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"{"total", -40} {rows.Sum(r => r.Calls), 6} {rows.Sum(r => r.InputTokens), 10} {rows.Sum(r => r.OutputTokens), 10} {rows.Sum(r => r.Usd), 10:0.0000}"
                        )
                    );
                    return Task.FromResult(ExitCodes.Succeeded);
                })
        );
        return command;
    }
}
