using System.Globalization;

namespace Baton.Costs;

/// <summary>One line of `baton costs`: the calls grouped under Key (a chain, agent, model or day).</summary>
public sealed record CostRow(
    string Key,
    int Calls,
    long InputTokens,
    long OutputTokens,
    long CachedInputTokens,
    long ReasoningTokens,
    decimal Usd,
    int EstimatedCalls
);

/// <summary>
/// What runs cost (`baton costs`, GET .../costs), from every run's costs.jsonl. Per-run sums are kept
/// in runs/.costs-index.json (see CostIndex) so 10,000 runs cost one file read and a stat per run.
/// </summary>
public static class CostReport
{
    public static readonly string[] Groupings = ["chain", "agent", "model", "day"];

    /// <param name="by">chain | agent | model | day.</param>
    /// <param name="since">Only calls on or after this day (UTC).</param>
    /// <exception cref="ArgumentException">Unknown grouping.</exception>
    public static IReadOnlyList<CostRow> Query(string runsRoot, string by = "chain", DateOnly? since = null)
    {
        if (!Groupings.Contains(by))
            throw new ArgumentException(
                $"cannot group costs by '{by}'; use one of {string.Join(", ", Groupings)}",
                nameof(by)
            );
        var sinceText = since?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var rows = new Dictionary<string, CostRow>(StringComparer.Ordinal);
        foreach (var group in CostIndex.Load(runsRoot))
        {
            if (sinceText is not null && string.CompareOrdinal(group.Day, sinceText) < 0)
                continue;
            var key = by switch
            {
                "chain" => group.Chain,
                "agent" => $"{group.Chain}/{group.Agent}",
                "model" => group.Model,
                _ => group.Day,
            };
            rows[key] = rows.TryGetValue(key, out var row)
                ? row with
                {
                    Calls = row.Calls + group.Calls,
                    InputTokens = row.InputTokens + group.InputTokens,
                    OutputTokens = row.OutputTokens + group.OutputTokens,
                    CachedInputTokens = row.CachedInputTokens + group.CachedInputTokens,
                    ReasoningTokens = row.ReasoningTokens + group.ReasoningTokens,
                    Usd = row.Usd + group.Usd,
                    EstimatedCalls = row.EstimatedCalls + group.EstimatedCalls,
                }
                : new CostRow(
                    key,
                    group.Calls,
                    group.InputTokens,
                    group.OutputTokens,
                    group.CachedInputTokens,
                    group.ReasoningTokens,
                    group.Usd,
                    group.EstimatedCalls
                );
        }
        // Days read best in order; everything else by what it cost.
        return by == "day"
            ? [.. rows.Values.OrderBy(r => r.Key, StringComparer.Ordinal)]
            : [.. rows.Values.OrderByDescending(r => r.Usd).ThenBy(r => r.Key, StringComparer.Ordinal)];
    }

    /// <summary>USD spent in the calendar month (UTC) of <paramref name="now"/>: what the budget is checked against.</summary>
    public static decimal MonthToDate(string runsRoot, DateTimeOffset now)
    {
        var first = new DateOnly(now.UtcDateTime.Year, now.UtcDateTime.Month, 1);
        return Query(runsRoot, "day", first).Sum(r => r.Usd);
    }
}
