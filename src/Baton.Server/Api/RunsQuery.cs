using System.Globalization;
using Baton.Runs;

namespace Baton.Server.Api;

/// <summary>
/// The runs list's filters and paging (GET …/runs?status=&amp;chain=&amp;q=&amp;from=&amp;to=&amp;before=&amp;limit=), newest first.
/// Run ids begin with their start time (20261124-063012-…), so `before` (an id: the last one of the page
/// before) pages by time, and runs newer than it are skipped without reading their events.
/// </summary>
public sealed record RunsQuery(
    string? Status,
    string? Chain,
    string? Text,
    DateOnly? From,
    DateOnly? To,
    string? Before,
    int? Limit
)
{
    public const int MaxLimit = 1000;

    /// <summary>The query, or an error that says which parameter is wrong and how to write it.</summary>
    public static (RunsQuery? Query, string? Error) Parse(
        string? status,
        string? chain,
        string? q,
        string? from,
        string? to,
        string? before,
        int? limit
    )
    {
        if (limit is < 1 or > MaxLimit)
            return (null, $"'limit' is 1 to {MaxLimit}");
        if (before is not null && !RunIds.IsValid(before))
            return (null, $"'before' is a run id, not '{before}'");
        if (!TryDate(from, out var fromDate))
            return (null, $"'from' is a date like 2026-11-01, not '{from}'");
        if (!TryDate(to, out var toDate))
            return (null, $"'to' is a date like 2026-11-30, not '{to}'");
        return (new RunsQuery(Empty(status), Empty(chain), Empty(q), fromDate, toDate, before, limit), null);
    }

    public List<RunSummary> Run(string runsRoot, Func<RunFolder, RunSummary> summarize)
    {
        var list = new List<RunSummary>();
        foreach (var run in RunFolder.AllNewestFirst(runsRoot))
        {
            if (Before is not null && string.CompareOrdinal(run.Id, Before) >= 0)
                continue;
            if (StartDay(run.Id) is { } day && (day < From || day > To))
                continue;
            var summary = summarize(run);
            if (Status is not null && summary.Status.Wire() != Status)
                continue;
            if (Chain is not null && summary.Chain != Chain)
                continue;
            if (Text is not null && !Matches(summary, Text))
                continue;
            list.Add(summary);
            if (list.Count == Limit)
                break;
        }
        return list;
    }

    private static bool Matches(RunSummary run, string text) =>
        run.Id.Contains(text, StringComparison.OrdinalIgnoreCase)
        || (run.Chain?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
        || (run.Reason?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
        || run.Agents.Keys.Any(a => a.Contains(text, StringComparison.OrdinalIgnoreCase));

    private static DateOnly? StartDay(string id) =>
        DateOnly.TryParseExact(
            id.AsSpan(0, Math.Min(8, id.Length)),
            "yyyyMMdd",
            CultureInfo.InvariantCulture,
            DateTimeStyles.None,
            out var day
        )
            ? day
            : null;

    private static bool TryDate(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrEmpty(text))
            return true;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            return false;
        date = d;
        return true;
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
