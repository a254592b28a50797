using Baton.Monitoring;
using Baton.Workspaces;

namespace Baton.Canary;

/// <summary>How one test case compares with the baseline canary.</summary>
public sealed record CaseDrift(
    string Name,
    double Similarity,
    double PassRateBefore,
    double PassRateAfter,
    int LengthBefore,
    int LengthAfter,
    string Before,
    string After,
    bool Moved
);

/// <summary>
/// A canary against its baseline: the pinned canary while the prompt hash is the pinned one's, else the first
/// canary since the prompt hash last changed. A case moved when its similarity fell below
/// `alerts.drift_similarity`, its assertions' pass rate fell, or its output's length more than halved or doubled.
/// </summary>
public sealed record CanaryComparison(
    CanaryRecord Record,
    CanaryRecord? Baseline,
    string Measure,
    IReadOnlyList<CaseDrift> Cases
)
{
    /// <summary>The baseline is another prompt version (or there is none yet): nothing to compare, this one becomes the baseline.</summary>
    public bool NewBaseline => Baseline is null || Baseline.Id == Record.Id;

    public IReadOnlyList<CaseDrift> Moved => [.. Cases.Where(c => c.Moved)];

    public static CanaryRecord? BaselineFor(CanaryRecord record, IReadOnlyList<CanaryRecord> earlier, string? pinned)
    {
        if (
            pinned is not null
            && earlier.FirstOrDefault(r => r.Id == pinned) is { } pin
            && pin.PromptSha256 == record.PromptSha256
        )
            return pin;
        CanaryRecord? first = null;
        foreach (var r in earlier)
            first = r.PromptSha256 != record.PromptSha256 ? null : first ?? r;
        return first;
    }

    public static bool Moves(
        double similarity,
        double passBefore,
        double passAfter,
        int lengthBefore,
        int lengthAfter,
        double threshold
    ) =>
        similarity < threshold
        || passAfter < passBefore
        || (lengthBefore > 0 && (lengthAfter > 2 * lengthBefore || 2 * lengthAfter < lengthBefore));

    /// <summary>The drift alert, or null when nothing moved or the prompt changed (then the model is not the suspect).</summary>
    public Alert? DriftAlert(string chain, DateTimeOffset now)
    {
        if (NewBaseline || Moved.Count == 0)
            return null;
        var moved = Moved;
        var detail = string.Join(
            "; ",
            moved.Select(c =>
                $"case '{c.Name}': similarity {c.Similarity:0.##}, assertions {c.PassRateBefore:P0} → {c.PassRateAfter:P0}, length {c.LengthBefore} → {c.LengthAfter}; before: \"{Short(c.Before)}\" after: \"{Short(c.After)}\""
            )
        );
        return new Alert(
            now,
            "model_drift",
            $"chain '{chain}': the model's behaviour changed: the prompt is unchanged (sha256 {Record.PromptSha256[..12]}) but {moved.Count} of {Cases.Count} test cases moved against the baseline canary of {Baseline!.Time.UtcDateTime:yyyy-MM-dd HH:mm} UTC (similarity: {Measure}): {detail}"
        )
        {
            Chain = chain,
            Value = Math.Round(Cases.Average(c => c.Similarity), 4),
            Baseline = 1,
        };
    }

    private static string Short(string text) =>
        (text.Length > 300 ? text[..300] + "…" : text).Replace("\n", " ", StringComparison.Ordinal);
}
