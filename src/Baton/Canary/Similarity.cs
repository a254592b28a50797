using System.Text.RegularExpressions;

namespace Baton.Canary;

/// <summary>
/// The lexical similarity of two outputs when no judge model is configured: the cosine of their word-count
/// vectors (words: runs of letters and digits, lower-cased), 0 to 1. It sees a different answer or a changed
/// vocabulary; it does not see a paraphrase as the same (a judge does).
/// </summary>
public static partial class Similarity
{
    public const string LexicalName = "lexical (cosine of word counts)";

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    public static double Lexical(string a, string b)
    {
        var (x, y) = (Counts(a), Counts(b));
        if (x.Count == 0 && y.Count == 0)
            return 1;
        if (x.Count == 0 || y.Count == 0)
            return 0;
        double dot = 0;
        foreach (var (word, n) in x)
            if (y.TryGetValue(word, out var m))
                dot += (double)n * m;
        return Math.Round(dot / (Norm(x) * Norm(y)), 4);
    }

    private static Dictionary<string, int> Counts(string text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match m in Word().Matches(text.ToLowerInvariant()))
            counts[m.Value] = counts.GetValueOrDefault(m.Value) + 1;
        return counts;
    }

    private static double Norm(Dictionary<string, int> counts) => Math.Sqrt(counts.Values.Sum(n => (double)n * n));
}
