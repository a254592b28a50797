namespace Baton.Costs;

/// <summary>
/// Built-in list prices (USD per 1M tokens: input, output, cached input) of the major providers'
/// current models, as published on <see cref="AsOf"/>. Prices change: baton.yaml `prices:`
/// overrides any entry (and adds models), and a model found in neither costs 0 and is marked unpriced in the ledger.
/// Dated model names (gpt-4o-mini-2024-07-18, claude-sonnet-4-5-20250929) match their family by
/// the longest prefix, so gpt-4o-mini never picks up gpt-4o's price.
/// </summary>
public sealed class PriceTable
{
    public const string AsOf = "2025-10-01";

    private static readonly Dictionary<string, ModelPrice> BuiltInPrices = new(StringComparer.OrdinalIgnoreCase)
    {
        // OpenAI
        ["gpt-5"] = new(1.25m, 10.00m, 0.125m),
        ["gpt-5-mini"] = new(0.25m, 2.00m, 0.025m),
        ["gpt-5-nano"] = new(0.05m, 0.40m, 0.005m),
        ["gpt-4.1"] = new(2.00m, 8.00m, 0.50m),
        ["gpt-4.1-mini"] = new(0.40m, 1.60m, 0.10m),
        ["gpt-4.1-nano"] = new(0.10m, 0.40m, 0.025m),
        ["gpt-4o"] = new(2.50m, 10.00m, 1.25m),
        ["gpt-4o-mini"] = new(0.15m, 0.60m, 0.075m),
        ["o1"] = new(15.00m, 60.00m, 7.50m),
        ["o3"] = new(2.00m, 8.00m, 0.50m),
        ["o3-mini"] = new(1.10m, 4.40m, 0.55m),
        ["o4-mini"] = new(1.10m, 4.40m, 0.275m),
        // Anthropic (cached input = cache read)
        ["claude-opus-4-1"] = new(15.00m, 75.00m, 1.50m),
        ["claude-opus-4"] = new(15.00m, 75.00m, 1.50m),
        ["claude-sonnet-4-5"] = new(3.00m, 15.00m, 0.30m),
        ["claude-sonnet-4"] = new(3.00m, 15.00m, 0.30m),
        ["claude-3-7-sonnet"] = new(3.00m, 15.00m, 0.30m),
        ["claude-haiku-4-5"] = new(1.00m, 5.00m, 0.10m),
        ["claude-3-5-haiku"] = new(0.80m, 4.00m, 0.08m),
        // Google (prompts up to 200k tokens)
        ["gemini-2.5-pro"] = new(1.25m, 10.00m, 0.31m),
        ["gemini-2.5-flash"] = new(0.30m, 2.50m, 0.075m),
        ["gemini-2.5-flash-lite"] = new(0.10m, 0.40m, 0.025m),
        ["gemini-2.0-flash"] = new(0.10m, 0.40m, 0.025m),
        // Mistral
        ["mistral-large"] = new(2.00m, 6.00m),
        ["mistral-medium"] = new(0.40m, 2.00m),
        ["mistral-small"] = new(0.10m, 0.30m),
        ["codestral"] = new(0.30m, 0.90m),
        ["magistral-medium"] = new(2.00m, 5.00m),
        // Baton's own deterministic provider: free by definition.
        ["offline"] = new(0m, 0m, 0m),
    };

    private readonly IReadOnlyDictionary<string, ModelPrice> _overrides;

    public PriceTable(IReadOnlyDictionary<string, ModelPrice>? overrides = null) =>
        _overrides = overrides ?? new Dictionary<string, ModelPrice>();

    public static PriceTable BuiltIn { get; } = new();

    public static IReadOnlyDictionary<string, ModelPrice> BuiltInEntries => BuiltInPrices;

    /// <summary>The price of a model, or null when it is in neither the overrides nor the table.</summary>
    public ModelPrice? Find(string model)
    {
        if (_overrides.TryGetValue(model, out var exact))
            return exact;
        // A provider may be named in front ("openai/gpt-4o"); prices are by model.
        var bare = model.Contains('/') ? model[(model.LastIndexOf('/') + 1)..] : model;
        if (_overrides.TryGetValue(bare, out exact))
            return exact;
        // The most specific family wins wherever it is defined (an override of gpt-4o must not reprice
        // gpt-4o-mini); between equally specific ones, the override.
        var (custom, customLength) = Longest(_overrides, bare);
        var (builtIn, builtInLength) = Longest(BuiltInPrices, bare);
        return customLength >= builtInLength ? custom ?? builtIn : builtIn;
    }

    private static (ModelPrice? Price, int Length) Longest(IReadOnlyDictionary<string, ModelPrice> prices, string model)
    {
        ModelPrice? best = null;
        var bestLength = -1;
        foreach (var (name, price) in prices)
        {
            if (
                name.Length > bestLength
                && model.StartsWith(name, StringComparison.OrdinalIgnoreCase)
                && (model.Length == name.Length || model[name.Length] is '-' or '@' or ':' or '.')
            )
            {
                best = price;
                bestLength = name.Length;
            }
        }
        return (best, bestLength);
    }
}
