using System.Collections.Concurrent;
using Baton.Costs;
using Baton.Health;
using Baton.Runs;
using Baton.Workspaces;

namespace Baton.Monitoring;

/// <summary>
/// After each finished run, by the engine that ran it (`baton run` and `baton serve` alike): record what the
/// run cost in the chain's cost history, check it against the baseline and trend (CostDrift), and — after a
/// failed run, else at most once a minute per workspace — the health of the providers over the last hour
/// (HealthReport). New alerts go
/// to alerts.jsonl and the webhook. A condition already alerted is not repeated while it lasts: a trend or a
/// provider alert stays quiet for `Quiet` after it was raised; each spiking run is its own alert.
/// Monitoring never fails a run: its problems are warnings.
/// </summary>
public static class RunMonitor
{
    public static readonly TimeSpan HealthWindow = TimeSpan.FromHours(1);
    public static readonly TimeSpan HealthEvery = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Quiet = TimeSpan.FromHours(24);

    private static readonly ConcurrentDictionary<string, DateTimeOffset> LastHealthCheck = new(StringComparer.Ordinal);

    public static async Task AfterRunAsync(
        Workspace workspace,
        RunFolder run,
        string chain,
        RunStatus status,
        EngineOptions options,
        CancellationToken cancellationToken = default
    )
    {
        var now = options.Time.GetUtcNow();
        var root = workspace.Root;
        var thresholds = workspace.Config.Alerts;
        var found = new List<Alert>();
        var ledger = CostLedger.Read(run.Path);
        if (ledger.Count > 0)
        {
            var cost = RunCost.FromLedger(now, run.Id, status.Wire(), ledger);
            var history = RunCost.History(root, chain);
            RunCost.Append(root, chain, cost);
            found.AddRange(CostDrift.Evaluate(chain, cost, history, thresholds, now));
        }
        // A failed run may be the provider's doing: checked at once. Otherwise once a minute, so 1,000 runs
        // ending together read the day's call lines once a minute, not 1,000 times.
        if (
            status == RunStatus.Failed
            || (
                ledger.Count > 0
                && (!LastHealthCheck.TryGetValue(root, out var last) || now - last >= HealthEvery || now < last)
            )
        )
        {
            LastHealthCheck[root] = now;
            found.AddRange(
                HealthReport
                    .For(root, thresholds, now, HealthWindow)
                    .Alerts.Select(a => new Alert(now, a.Type, a.Message) { Provider = a.Provider, Model = a.Model })
            );
        }
        if (found.Count == 0)
            return;
        var existing = AlertLog.Read(root);
        foreach (var alert in found)
        {
            if (alert.Type != "cost_spike" && AlertLog.RaisedRecently(existing, alert, Quiet))
                continue;
            AlertLog.Append(root, alert);
            options.OnWarning?.Invoke($"alert {alert.Type}: {alert.Message}");
            if (thresholds.Webhook is { } url)
            {
                var problem = await AlertWebhook.SendAsync(
                    url,
                    root,
                    alert,
                    options.AlertRetryDelay,
                    cancellationToken,
                    options.AllowPrivateWebhooks
                );
                if (problem is not null)
                    options.OnWarning?.Invoke(problem);
            }
        }
    }
}
