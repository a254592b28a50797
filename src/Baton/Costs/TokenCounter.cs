using Microsoft.ML.Tokenizers;

namespace Baton.Costs;

/// <summary>
/// Counts tokens with o200k (GPT-4o's encoding) when a provider reports no usage, and for the
/// offline provider. Other models tokenize differently, so such counts are marked estimated.
/// </summary>
public static class TokenCounter
{
    // Loading the vocabulary takes ~100 ms; only runs that need an estimate pay for it.
    private static readonly Lazy<Tokenizer> Encoding = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    public static int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : Encoding.Value.CountTokens(text);
}
