using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Baton.Chains;
using Baton.Health;
using Baton.Monitoring;

namespace Baton.Cli.Commands;

/// <summary>`baton health`: the model APIs this workspace's runs called, from what they recorded (no server needed).</summary>
public static class HealthCommand
{
    public static Command Create()
    {
        var window = new Option<string>("--window")
        {
            Description = "How far back to look: 90m, 24h, 168h; the latency baseline is the 7 days before",
            DefaultValueFactory = _ => "24h",
        };
        var json = new Option<bool>("--json") { Description = "The report as JSON" };
        var command = new Command("health", "Latency, errors and circuit breakers of the LLM providers runs called")
        {
            Options = { window, json },
        };
        command.SetAction(
            (parse, _) =>
                CommandAction.Run(() =>
                {
                    var workspace = CliWorkspace.Open(parse);
                    var text = parse.GetValue(window)!;
                    if (!Duration.TryParse(text, out var span, out var error))
                        throw new UsageException($"--window '{text}': {error}");
                    var report = HealthReport.For(
                        workspace.Root,
                        workspace.Config.Alerts,
                        TimeProvider.System.GetUtcNow(),
                        span
                    );
                    if (parse.GetValue(json))
                        Console.WriteLine(JsonSerializer.Serialize(report, MonitoringJson.Default.HealthReport));
                    else
                        Print(report, text);
                    return Task.FromResult(report.Alerts.Count > 0 ? ExitCodes.Failed : ExitCodes.Succeeded);
                })
        );
        return command;
    }

    private static void Print(HealthReport report, string window)
    {
        if (report.Models.Count == 0)
        {
            Console.WriteLine($"no LLM calls in the last {window}");
            return;
        }
        Console.WriteLine(
            $"{"provider (model)", -36} {"calls", 6} {"errors", 7} {"p50 ms", 8} {"p95 ms", 8} {"base p95", 9} {"ttft p95", 9} {"tok/s", 7}"
        );
        foreach (var m in report.Models)
        {
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{$"{m.Provider} ({m.Model})", -36} {m.Calls, 6} {m.ErrorRate, 7:P0} {Ms(m.DurationP50Ms), 8} {Ms(m.DurationP95Ms), 8} {Ms(m.BaselineDurationP95Ms), 9} {Ms(m.FirstChunkP95Ms), 9} {(m.TokensPerSecond is { } t ? t.ToString("0.#", CultureInfo.InvariantCulture) : "-"), 7}"
                )
            );
            if (m.Errors.Count > 0)
                Console.WriteLine(
                    $"  failed attempts: {string.Join(", ", m.Errors.Select(e => $"{e.Value} {e.Key}"))}"
                );
        }
        foreach (var alert in report.Alerts)
            Console.WriteLine($"ALERT {alert.Type}: {alert.Message}");
    }

    private static string Ms(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
