using Baton.Workspaces;

namespace Baton.Health;

/// <summary>One provider and model over the report's window.</summary>
public sealed record ModelHealth(
    string Provider,
    string Model,
    int Calls,
    int FailedCalls,
    int Attempts,
    IReadOnlyDictionary<string, int> Errors,
    double ErrorRate,
    long? FirstChunkP50Ms,
    long? FirstChunkP95Ms,
    long? DurationP50Ms,
    long? DurationP95Ms,
    long? BaselineDurationP95Ms,
    double? TokensPerSecond,
    int CircuitOpened,
    DateTimeOffset? LastCall
)
{
    /// <summary>The window hour by hour (hours with calls only): the dashboard's latency and error-rate charts.</summary>
    public IReadOnlyList<HealthHour> Hourly { get; init; } = [];
}

/// <summary>One hour of one provider and model: calls, p95 latency of the answered ones, error rate of the attempts.</summary>
public sealed record HealthHour(DateTimeOffset Hour, int Calls, long? DurationP95Ms, double ErrorRate);

/// <summary>A condition worth a person's attention, as the health report sees it now.</summary>
public sealed record HealthAlert(string Type, string Provider, string Model, string Message);

/// <summary>
/// `baton health`, the API's …/health and the health page: the model APIs a workspace called, from what its
/// runs recorded (CallHealth), so it needs no server. The window is the last `window` (24 h by default);
/// the latency baseline is the 7 days before it.
/// </summary>
public sealed record HealthReport(
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<ModelHealth> Models,
    IReadOnlyList<HealthAlert> Alerts
)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(24);
    public static readonly TimeSpan BaselineSpan = TimeSpan.FromDays(7);

    /// <summary>Fewer calls than this say nothing about a rate or a percentile: no alert from them.</summary>
    public const int MinimumCalls = 5;

    public static HealthReport For(string workspaceRoot, WorkspaceAlerts alerts, DateTimeOffset now, TimeSpan window)
    {
        var from = now - window;
        var calls = CallHealth.Read(workspaceRoot, from - BaselineSpan, now).ToList();
        return Compute(calls, alerts, from, now);
    }

    public static HealthReport Compute(
        IReadOnlyList<CallHealth> calls,
        WorkspaceAlerts thresholds,
        DateTimeOffset from,
        DateTimeOffset to
    )
    {
        var models = new List<ModelHealth>();
        var alerts = new List<HealthAlert>();
        foreach (var group in calls.GroupBy(c => (c.Provider, c.Model)).OrderBy(g => g.Key))
        {
            var recent = group.Where(c => c.Time >= from && c.Time < to).ToList();
            if (recent.Count == 0)
                continue;
            var baseline = group.Where(c => c.Time < from).ToList();
            var attempts = recent.SelectMany(c => c.Attempts).ToList();
            var errors = CallOutcome
                .ErrorClasses.Select(k => (k, n: attempts.Count(a => a == k)))
                .Where(p => p.n > 0)
                .ToDictionary(p => p.k, p => p.n);
            var refused = recent.Count(c => c.Outcome == CallOutcome.CircuitOpen);
            if (refused > 0)
                errors[CallOutcome.CircuitOpen] = refused;
            var tries = attempts.Count + refused;
            var failedTries = attempts.Count(a => a != CallOutcome.Ok) + refused;
            var errorRate = tries == 0 ? 0 : (double)failedTries / tries;
            var answered = recent.Where(c => c.Outcome == CallOutcome.Ok).ToList();
            var durations = answered.Select(c => c.DurationMs).ToList();
            var firstChunks = answered
                .Where(c => c.FirstChunkMs is not null)
                .Select(c => c.FirstChunkMs!.Value)
                .ToList();
            var baselineDurations = baseline.Where(c => c.Outcome == CallOutcome.Ok).Select(c => c.DurationMs).ToList();
            var generating = answered.Where(c => c.OutputTokens > 0).ToList();
            double? tokensPerSecond =
                generating.Count == 0
                    ? null
                    : Math.Round(
                        generating.Sum(c => c.OutputTokens)
                            / Math.Max(0.001, generating.Sum(c => c.DurationMs - (c.FirstChunkMs ?? 0)) / 1000.0),
                        1
                    );
            var health = new ModelHealth(
                group.Key.Provider,
                group.Key.Model,
                recent.Count,
                recent.Count(c => c.Outcome != CallOutcome.Ok),
                tries,
                errors,
                Math.Round(errorRate, 4),
                Percentile(firstChunks, 0.50),
                Percentile(firstChunks, 0.95),
                Percentile(durations, 0.50),
                Percentile(durations, 0.95),
                baselineDurations.Count >= MinimumCalls ? Percentile(baselineDurations, 0.95) : null,
                tokensPerSecond,
                recent.Count(c => c.CircuitOpened),
                recent.Max(c => c.Time)
            )
            {
                Hourly = Hourly(recent),
            };
            models.Add(health);
            alerts.AddRange(AlertsFor(health, thresholds, durations.Count));
        }
        return new HealthReport(from, to, models, alerts);
    }

    private static IEnumerable<HealthAlert> AlertsFor(ModelHealth h, WorkspaceAlerts thresholds, int answered)
    {
        var name = $"{h.Provider} ({h.Model})";
        if (h.CircuitOpened > 0 || h.Errors.ContainsKey(CallOutcome.CircuitOpen))
            yield return new HealthAlert(
                "circuit_open",
                h.Provider,
                h.Model,
                $"{name}: the circuit breaker opened: Baton stopped calling it for a while after calls in a row failed"
            );
        if (h.Attempts >= MinimumCalls && h.ErrorRate > thresholds.ErrorRate)
            yield return new HealthAlert(
                "error_rate",
                h.Provider,
                h.Model,
                $"{name}: {h.ErrorRate:P0} of attempts failed (threshold {thresholds.ErrorRate:P0}): {string.Join(", ", h.Errors.Select(e => $"{e.Value} {e.Key}"))}"
            );
        if (
            answered >= MinimumCalls
            && h is { DurationP95Ms: { } p95, BaselineDurationP95Ms: { } baseline }
            && baseline > 0
            && p95 > thresholds.LatencyFactor * baseline
        )
            yield return new HealthAlert(
                "latency",
                h.Provider,
                h.Model,
                $"{name}: p95 latency {p95} ms is {(double)p95 / baseline:0.#}× its baseline {baseline} ms (threshold {thresholds.LatencyFactor:0.#}×)"
            );
    }

    private static List<HealthHour> Hourly(List<CallHealth> calls) =>
        [
            .. calls
                .GroupBy(c => new DateTimeOffset(
                    c.Time.UtcDateTime.Date.AddHours(c.Time.UtcDateTime.Hour),
                    TimeSpan.Zero
                ))
                .OrderBy(g => g.Key)
                .Select(g =>
                {
                    var attempts = g.SelectMany(c => c.Attempts).ToList();
                    var refused = g.Count(c => c.Outcome == CallOutcome.CircuitOpen);
                    var tries = attempts.Count + refused;
                    var failed = attempts.Count(a => a != CallOutcome.Ok) + refused;
                    return new HealthHour(
                        g.Key,
                        g.Count(),
                        Percentile([.. g.Where(c => c.Outcome == CallOutcome.Ok).Select(c => c.DurationMs)], 0.95),
                        tries == 0 ? 0 : Math.Round((double)failed / tries, 4)
                    );
                }),
        ];

    /// <summary>Nearest-rank percentile; null for no values.</summary>
    internal static long? Percentile(IReadOnlyList<long> values, double p)
    {
        if (values.Count == 0)
            return null;
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}
