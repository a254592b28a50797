using Microsoft.ML.Tokenizers;

namespace Baton.Costs;

/// <summary>
/// Token counts where no provider reports them. <see cref="Count"/> uses o200k (GPT-4o's
/// encoding) — a real provider that reported no usage, a budget reservation — and its vocabulary
/// costs ~100–300 ms and ~50 MB on first use, so only what needs a count that close pays for it.
/// <see cref="Estimate"/> is free: the offline provider, which calls no model and costs nothing,
/// counts with it. Either way, counts for other models' tokenizers are estimates.
/// </summary>
public static class TokenCounter
{
    private static readonly Lazy<Tokenizer> Encoding = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    public static int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : Encoding.Value.CountTokens(text);

    /// <summary>About four UTF-8 bytes per token, o200k's average on English prose and code.</summary>
    public static int Estimate(string? text) =>
        string.IsNullOrEmpty(text) ? 0 : (System.Text.Encoding.UTF8.GetByteCount(text) + 3) / 4;
}
