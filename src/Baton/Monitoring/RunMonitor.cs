using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Baton.Costs;
using Baton.Health;
using Baton.Runs;
using Baton.Workspaces;

namespace Baton.Monitoring;

/// <summary>
/// After each finished run, by the engine that ran it (`baton run` and `baton serve` alike): record what the
/// run cost in the chain's cost history, check it against the baseline and (once a minute) trend (CostDrift), and — after a
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

    /// <summary>How often a chain's 7-day cost trend is looked at: its windows are days long, and the look walks every kept run.</summary>
    public static readonly TimeSpan TrendEvery = TimeSpan.FromMinutes(1);

    // Boxed: a ConcurrentDictionary over the DateTimeOffset struct is generic code the JIT compiles in every process
    // that ends an LLM run; over a class it is the framework's precompiled shared code (docs/performance.md).
    private static readonly ConcurrentDictionary<string, StrongBox<DateTimeOffset>> LastHealthCheck = new(
        StringComparer.Ordinal
    );
    private static readonly ConcurrentDictionary<string, StrongBox<DateTimeOffset>> LastTrendCheck = new(
        StringComparer.Ordinal
    );

    public static async Task AfterRunAsync(
        Workspace workspace,
        RunFolder run,
        string chain,
        RunStatus status,
        EngineOptions options,
        double? quality = null,
        IReadOnlyList<CostEntry>? ledger = null,
        CancellationToken cancellationToken = default
    )
    {
        var now = options.Time.GetUtcNow();
        var root = workspace.Root;
        var thresholds = workspace.Config.Alerts;
        var found = new List<Alert>();
        ledger ??= CostLedger.Read(run.Path); // the engine hands over what it read for run.finished
        if (ledger.Count > 0 || quality is not null)
        {
            // A run with checks but no LLM calls is kept too (its quality over time), but says nothing about cost.
            var cost = RunCost.FromLedger(now, run.Id, status.Wire(), ledger) with { Quality = quality };
            var history = RunCost.Record(root, chain, cost);
            if (ledger.Count > 0)
                found.AddRange(CostDrift.Evaluate(chain, cost, history, thresholds, now, TrendDue(root, chain, now)));
        }
        // A failed run may be the provider's doing: checked at once. Otherwise once a minute, so 1,000 runs
        // ending together read the day's call lines once a minute, not 1,000 times.
        if (
            status == RunStatus.Failed
            || (
                ledger.Count > 0
                && (
                    !LastHealthCheck.TryGetValue(root, out var last)
                    || now - last.Value >= HealthEvery
                    || now < last.Value
                )
            )
        )
        {
            LastHealthCheck[root] = new StrongBox<DateTimeOffset>(now);
            found.AddRange(
                HealthReport
                    .For(root, thresholds, now, HealthWindow)
                    .Alerts.Select(a => new Alert(now, a.Type, a.Message) { Provider = a.Provider, Model = a.Model })
            );
        }
        await RaiseAsync(
            workspace,
            found,
            options.OnWarning,
            options.AlertRetryDelay,
            cancellationToken,
            options.AllowPrivateWebhooks
        );
    }

    /// <summary>
    /// The spike check looks at the last runs only; the trend compares two 7-day windows of every kept run (up to
    /// 15 days of them), so it is looked at once a minute per chain: 1,000 runs ending together walked the whole
    /// history 1,000 times (W2S, docs/performance.md). A clock set back looks again.
    /// </summary>
    private static bool TrendDue(string root, string chain, DateTimeOffset now)
    {
        var key = RunCost.PathFor(root, chain);
        if (LastTrendCheck.TryGetValue(key, out var last) && now - last.Value < TrendEvery && now >= last.Value)
            return false;
        LastTrendCheck[key] = new StrongBox<DateTimeOffset>(now);
        return true;
    }

    /// <summary>
    /// Writes each alert to alerts.jsonl and sends it to the webhook, unless the same condition (Alert.Key) was
    /// raised within <see cref="Quiet"/> (each cost_spike is its own). Returns the alerts raised.
    /// </summary>
    public static async Task<IReadOnlyList<Alert>> RaiseAsync(
        Workspace workspace,
        IReadOnlyList<Alert> found,
        Action<string>? warn,
        TimeSpan retryDelay,
        CancellationToken cancellationToken = default,
        bool allowPrivate = true
    )
    {
        if (found.Count == 0)
            return [];
        var root = workspace.Root;
        var existing = AlertLog.Read(root);
        var raised = new List<Alert>();
        foreach (var alert in found)
        {
            if (alert.Type != "cost_spike" && AlertLog.RaisedRecently(existing, alert, Quiet))
                continue;
            AlertLog.Append(root, alert);
            raised.Add(alert);
            warn?.Invoke($"alert {alert.Type}: {alert.Message}");
            var problem = await AlertWebhook.SendAsync(workspace, alert, retryDelay, cancellationToken, allowPrivate);
            if (problem is not null)
                warn?.Invoke(problem);
        }
        return raised;
    }
}
