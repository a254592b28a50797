using System.Globalization;
using Baton.Chains;
using Baton.Costs;
using Baton.Secrets;
using YamlDotNet.RepresentationModel;

namespace Baton.Workspaces;

public sealed partial record WorkspaceConfig
{
    public static readonly string[] ProviderTypes = ["openai", "anthropic", "ollama", "offline"];
    private static readonly string[] ProviderKeys =
    [
        "type",
        "base_url",
        "model",
        "api_key",
        "timeout",
        "stream",
        "max_concurrent_calls",
    ];
    private static readonly string[] PriceKeys = ["input", "output", "cached_input"];
    private static readonly string[] BudgetKeys = ["monthly_usd", "alert_webhook"];

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}$")]
    private static partial System.Text.RegularExpressions.Regex AliasPattern();

    private static Dictionary<string, ProviderConfig> ReadProviders(YamlReader read, YamlNode node)
    {
        var providers = new Dictionary<string, ProviderConfig>(StringComparer.Ordinal);
        if (read.Map(node, "'providers'") is not { } map)
            return providers;
        foreach (var (aliasKey, alias, value) in read.Entries(map, "'providers'"))
        {
            if (!AliasPattern().IsMatch(alias))
                read.Errors.Add(
                    aliasKey,
                    $"provider alias '{alias}' must match [a-z0-9][a-z0-9_-]* (it is written before the '/' in `model: alias/model-name`)"
                );
            if (read.Map(value, $"provider '{alias}'") is not { } body)
                continue;
            string? type = null,
                baseUrl = null,
                model = null,
                apiKey = null;
            TimeSpan? timeout = null;
            var stream = true;
            int? maxConcurrentCalls = null;
            foreach (var (key, name, v) in read.Entries(body, $"provider '{alias}'"))
            {
                switch (name)
                {
                    case "type":
                        type = read.Text(v, $"'type' of provider '{alias}'");
                        if (type is not null && !ProviderTypes.Contains(type))
                            read.Errors.Add(
                                v,
                                $"unknown provider type '{type}'{KeySuggester.Hint(type, ProviderTypes)} (one of {string.Join(", ", ProviderTypes)})"
                            );
                        break;
                    case "base_url":
                        baseUrl = read.Text(v, $"'base_url' of provider '{alias}'");
                        if (
                            baseUrl is not null
                            && ConfigValue.Check(baseUrl) is null
                            && !baseUrl.Contains("${", StringComparison.Ordinal)
                            && !(
                                Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                            )
                        )
                            read.Errors.Add(
                                v,
                                $"'base_url' of provider '{alias}' must be an http(s) URL, not '{baseUrl}'"
                            );
                        break;
                    case "model":
                        model = read.Text(v, $"'model' of provider '{alias}'");
                        break;
                    case "api_key":
                        apiKey = read.Text(v, $"'api_key' of provider '{alias}'");
                        if (apiKey is not null && ConfigValue.Check(apiKey) is { } problem)
                            read.Errors.Add(v, problem);
                        break;
                    case "timeout":
                        timeout = read.Duration(v, $"'timeout' of provider '{alias}'");
                        break;
                    case "stream":
                        stream = read.Bool(v, $"'stream' of provider '{alias}'") ?? true;
                        break;
                    case "max_concurrent_calls":
                        maxConcurrentCalls = read.Int(v, $"'max_concurrent_calls' of provider '{alias}'", 1, 100_000);
                        break;
                    default:
                        read.UnknownKey(key, $"provider '{alias}'", ProviderKeys);
                        break;
                }
            }
            if (type is null && !body.Children.ContainsKey(new YamlScalarNode("type")))
                read.Errors.Add(aliasKey, $"provider '{alias}' needs a 'type' ({string.Join(", ", ProviderTypes)})");
            providers[alias] = new ProviderConfig(alias, type ?? "offline", baseUrl, model, apiKey, timeout)
            {
                Stream = stream,
                MaxConcurrentCalls = maxConcurrentCalls,
            };
        }
        return providers;
    }

    private static Dictionary<string, ModelPrice> ReadPrices(YamlReader read, YamlNode node)
    {
        var prices = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        if (read.Map(node, "'prices'") is not { } map)
            return prices;
        foreach (var (_, model, value) in read.Entries(map, "'prices'"))
        {
            if (read.Map(value, $"price of '{model}'") is not { } body)
                continue;
            decimal? input = null,
                output = null,
                cached = null;
            foreach (var (key, name, v) in read.Entries(body, $"price of '{model}'"))
            {
                switch (name)
                {
                    case "input":
                        input = read.Usd(v, $"'input' price of '{model}'");
                        break;
                    case "output":
                        output = read.Usd(v, $"'output' price of '{model}'");
                        break;
                    case "cached_input":
                        cached = read.Usd(v, $"'cached_input' price of '{model}'");
                        break;
                    default:
                        read.UnknownKey(key, $"price of '{model}' (USD per 1M tokens)", PriceKeys);
                        break;
                }
            }
            if (input is not null && output is not null)
                prices[model] = new ModelPrice(input.Value, output.Value, cached);
            else if (
                !body.Children.ContainsKey(new YamlScalarNode("input"))
                || !body.Children.ContainsKey(new YamlScalarNode("output"))
            )
                read.Errors.Add(value, $"price of '{model}' needs 'input' and 'output' (USD per 1M tokens)");
        }
        return prices;
    }

    private static Uri? WebhookUrl(YamlReader read, YamlNode node)
    {
        if (read.Text(node, "'budget.alert_webhook'") is not { } text)
            return null;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            return uri;
        read.Errors.Add(node, $"'budget.alert_webhook' must be an http(s) URL, not '{text}'");
        return null;
    }

    private static WorkspaceBudget? ReadBudget(YamlReader read, YamlNode node)
    {
        if (read.Map(node, "'budget'") is not { } map)
            return null;
        Uri? webhook = null;
        decimal? monthly = null;
        foreach (var (key, name, v) in read.Entries(map, "'budget'"))
        {
            if (name == "monthly_usd")
                monthly = read.Usd(v, "'budget.monthly_usd'");
            else if (name == "alert_webhook")
                webhook = WebhookUrl(read, v);
            else
                read.UnknownKey(key, "'budget'", BudgetKeys);
        }
        return monthly is { } m ? new WorkspaceBudget(m) { AlertWebhook = webhook } : null;
    }
}

/// <summary>
/// One `providers:` entry. ApiKey and BaseUrl are kept unresolved (`${env:X}`, `${secret:X}`) and
/// resolved at call time, so loading baton.yaml never needs a secret.
/// </summary>
public sealed record ProviderConfig(
    string Alias,
    string Type,
    string? BaseUrl,
    string? Model,
    string? ApiKey,
    TimeSpan? Timeout
)
{
    /// <summary>Stream replies where the provider can (default); `stream: false` for servers that cannot.</summary>
    public bool Stream { get; init; } = true;

    /// <summary>Calls in flight to this provider at once, across the process (ProviderGate); null: ProviderOptions.MaxConcurrentCalls.</summary>
    public int? MaxConcurrentCalls { get; init; }
}

/// <summary>baton.yaml `budget:` (SPEC §6): soft alert at 80 %, hard stop at 100 % of MonthlyUsd.</summary>
public sealed record WorkspaceBudget(decimal MonthlyUsd)
{
    /// <summary>Where the 80 % alert is also POSTed (JSON), if set.</summary>
    public Uri? AlertWebhook { get; init; }
}

internal static class YamlReaderExtensions
{
    public static decimal? Usd(this YamlReader read, YamlNode node, string what)
    {
        if (
            node is YamlScalarNode { Value: { } text }
            && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
        )
            return value;
        read.Errors.Add(
            node,
            $"{what} must be a number of US dollars (e.g. 0.15), not '{(node as YamlScalarNode)?.Value}'"
        );
        return null;
    }

    public static bool? Bool(this YamlReader read, YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: "true" or "false" } scalar)
            return scalar.Value == "true";
        read.Errors.Add(node, $"{what} must be true or false");
        return null;
    }
}
