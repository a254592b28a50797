namespace Baton.Costs;

/// <summary>USD per 1M tokens. CachedInput null means cached input is billed as ordinary input.</summary>
public sealed record ModelPrice(decimal Input, decimal Output, decimal? CachedInput = null)
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>
    /// What a call cost. Input counts include cached input (OpenAI's convention, which the providers
    /// are normalised to), so only the uncached part is billed at the full input rate. Reasoning
    /// tokens are part of the output count and billed as output.
    /// </summary>
    public decimal Cost(TokenUsage usage)
    {
        var cached = Math.Min(usage.CachedInputTokens, usage.InputTokens);
        var uncached = usage.InputTokens - cached;
        return (uncached * Input + cached * (CachedInput ?? Input) + usage.OutputTokens * Output) / PerMillion;
    }
}

/// <summary>Token counts of one call; Estimated when the provider reported none and Baton counted them.</summary>
public sealed record TokenUsage(
    long InputTokens,
    long OutputTokens,
    long CachedInputTokens = 0,
    long ReasoningTokens = 0,
    bool Estimated = false
)
{
    public static TokenUsage Zero { get; } = new(0, 0);

    public TokenUsage Add(TokenUsage other) =>
        new(
            InputTokens + other.InputTokens,
            OutputTokens + other.OutputTokens,
            CachedInputTokens + other.CachedInputTokens,
            ReasoningTokens + other.ReasoningTokens,
            Estimated || other.Estimated
        );
}
