using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Baton.Canary;
using Baton.Chains;
using Baton.Runs;

namespace Baton.Cli.Commands;

/// <summary>
/// `baton canary CHAIN`: one canary by hand — the chain's test cases run now, stored, and compared with the
/// baseline (docs/monitoring.md, Prompt drift). Exit 1 when the model's behaviour changed. `--pin [ID]` makes
/// a stored canary (the newest by default) the baseline instead.
/// </summary>
public static class CanaryCommand
{
    public static Command Create()
    {
        var chainArgument = new Argument<string>("chain") { Description = "Chain name (in chains/) or file" };
        var pin = new Option<string?>("--pin")
        {
            Description = "Make this stored canary (id, or 'last') the baseline instead of running one",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var json = new Option<bool>("--json") { Description = "The comparison as JSON" };
        var command = new Command("canary", "Run the chain's test cases now and compare them with the baseline canary")
        {
            Arguments = { chainArgument },
            Options = { pin, json },
        };
        command.SetAction(
            (parse, cancel) =>
                CommandAction.Run(async () =>
                {
                    var (chainPath, workspace, yaml, chain) = CliWorkspace.LoadChain(parse, chainArgument);
                    if (parse.GetResult(pin) is not null)
                    {
                        var records = CanaryRecord.ReadAll(workspace.Root, chain.Name);
                        var wanted = parse.GetValue(pin) is { } id and not "last" ? id : records.LastOrDefault()?.Id;
                        if (wanted is null || records.All(r => r.Id != wanted))
                            throw new UsageException(
                                $"no stored canary '{wanted ?? "last"}' of '{chain.Name}': run `baton canary {chain.Name}` first"
                            );
                        CanaryRecord.Pin(workspace.Root, chain.Name, wanted);
                        Console.WriteLine(
                            $"canary {wanted} is the baseline of '{chain.Name}' while its prompts stay as they are"
                        );
                        return ExitCodes.Succeeded;
                    }
                    if (!File.Exists(CanaryRunner.CasesFile(workspace.Root, chain.Name)))
                        throw new UsageException(
                            $"no case file 'tests/{chain.Name}.yaml': a canary runs the chain's test cases (docs/prompts.md)"
                        );
                    var warnings = new List<string>();
                    var result = await new CanaryRunner(
                        workspace,
                        new EngineOptions { OnWarning = warnings.Add }
                    ).RunAsync(chain, yaml, cancel);
                    var alert = result.DriftAlert(chain.Name, result.Record.Time);
                    if (parse.GetValue(json))
                        Console.WriteLine(
                            new JsonObject
                            {
                                ["id"] = result.Record.Id,
                                ["prompt_sha256"] = result.Record.PromptSha256,
                                ["baseline"] = result.Baseline?.Id,
                                ["new_baseline"] = result.NewBaseline,
                                ["measure"] = result.Measure,
                                ["cases"] = new JsonArray([
                                    .. result.Cases.Select(c => new JsonObject
                                    {
                                        ["name"] = c.Name,
                                        ["similarity"] = c.Similarity,
                                        ["pass_rate_before"] = c.PassRateBefore,
                                        ["pass_rate_after"] = c.PassRateAfter,
                                        ["length_before"] = c.LengthBefore,
                                        ["length_after"] = c.LengthAfter,
                                        ["moved"] = c.Moved,
                                    }),
                                ]),
                                ["alert"] = alert?.Message,
                            }.ToJsonString()
                        );
                    else
                        Print(result, alert);
                    return alert is null ? ExitCodes.Succeeded : ExitCodes.Failed;
                })
        );
        return command;
    }

    private static void Print(CanaryComparison result, Monitoring.Alert? alert)
    {
        Console.WriteLine(
            $"canary {result.Record.Id}: {result.Record.Cases.Count} cases, prompt sha256 {result.Record.PromptSha256[..12]}"
        );
        if (result.NewBaseline)
        {
            Console.WriteLine("this canary is the baseline (the first since the prompts changed)");
            return;
        }
        Console.WriteLine($"baseline {result.Baseline!.Id}; similarity: {result.Measure}");
        foreach (var c in result.Cases)
            Console.WriteLine(
                $"  {(c.Moved ? "MOVED" : "same ")}  {c.Name}: similarity {c.Similarity:0.##}, assertions {c.PassRateBefore:P0} → {c.PassRateAfter:P0}, length {c.LengthBefore} → {c.LengthAfter}"
            );
        Console.WriteLine(alert is null ? "no drift" : $"ALERT model_drift: {alert.Message}");
    }
}
