using Baton.Chains;
using Baton.Secrets;
using Baton.Workspaces;

namespace Baton.Providers;

/// <summary>A provider ready to call: references resolved, defaults filled in. ApiKey is a secret: mask it.</summary>
public sealed record ResolvedProvider(
    string Alias,
    string Type,
    string BaseUrl,
    string Model,
    string? ApiKey,
    TimeSpan? Timeout,
    bool Stream
)
{
    /// <summary>baton.yaml's `max_concurrent_calls`; null: the process default.</summary>
    public int? MaxConcurrentCalls { get; init; }

    public override string ToString() => $"{Alias} ({Type} {Model} at {BaseUrl})"; // never the key
}

/// <summary>
/// Turns an agent's `model:` (an alias, or `alias/model-name`) into a provider (SPEC §1, §2).
/// `default` need not be configured: it is OpenAI or Anthropic when their key is in the
/// environment, else the offline provider; `offline` is always available.
/// </summary>
public static class ProviderResolver
{
    public const string DefaultAlias = "default";
    public const string OfflineAlias = "offline";

    public static readonly IReadOnlyDictionary<string, string> DefaultBaseUrls = new Dictionary<string, string>
    {
        ["openai"] = "https://api.openai.com/v1",
        ["anthropic"] = "https://api.anthropic.com",
        ["ollama"] = "http://127.0.0.1:11434",
        ["offline"] = "offline:",
    };

    public static readonly IReadOnlyDictionary<string, string> DefaultModels = new Dictionary<string, string>
    {
        ["openai"] = "gpt-4o-mini",
        ["anthropic"] = "claude-haiku-4-5",
        ["ollama"] = "llama3.2",
        ["offline"] = "offline",
    };

    /// <param name="notice">Set when the implicit default was chosen: what a person should be told once.</param>
    /// <exception cref="ProviderConfigException">Unknown alias, or a key reference that cannot be resolved.</exception>
    public static ResolvedProvider Resolve(
        WorkspaceConfig config,
        string modelSpec,
        Func<string, string?> environment,
        Func<SecretStore> secrets,
        out string? notice
    )
    {
        notice = null;
        var slash = modelSpec.IndexOf('/', StringComparison.Ordinal);
        var alias = slash < 0 ? modelSpec : modelSpec[..slash];
        var explicitModel = slash < 0 ? null : modelSpec[(slash + 1)..];
        if (explicitModel is "")
            throw new ProviderConfigException($"model '{modelSpec}' names no model after '/'; write alias/model-name");

        ProviderConfig provider;
        if (config.Providers.TryGetValue(alias, out var configured))
            provider = configured;
        else if (alias == DefaultAlias)
            provider = ImplicitDefault(environment, out notice);
        else if (alias == OfflineAlias)
            provider = new ProviderConfig(OfflineAlias, "offline", null, null, null, null);
        else
        {
            var known = config.Providers.Keys.Append(DefaultAlias).Append(OfflineAlias).Distinct().ToList();
            throw new ProviderConfigException(
                $"unknown provider '{alias}' in model '{modelSpec}'{KeySuggester.Hint(alias, known)}; "
                    + $"define it under 'providers:' in baton.yaml (known: {string.Join(", ", known)})"
            );
        }

        try
        {
            var baseUrl = provider.BaseUrl is { } url
                ? ConfigValue.Resolve(url, null, environment)
                : DefaultBaseUrls[provider.Type];
            var apiKey = provider.ApiKey is { } key
                ? ConfigValue.Resolve(key, LazySecrets(key, secrets), environment)
                : null;
            var model = explicitModel ?? provider.Model ?? DefaultModels[provider.Type];
            return new ResolvedProvider(
                provider.Alias,
                provider.Type,
                baseUrl.TrimEnd('/'),
                model,
                apiKey,
                provider.Timeout,
                provider.Stream
            )
            {
                MaxConcurrentCalls = provider.MaxConcurrentCalls,
            };
        }
        catch (SecretStoreException e)
        {
            throw new ProviderConfigException($"provider '{provider.Alias}': {e.Message}");
        }
    }

    // Only a ${secret:} reference needs the store (and its master key).
    private static SecretStore? LazySecrets(string value, Func<SecretStore> secrets) =>
        value.Contains("${secret:", StringComparison.Ordinal) ? secrets() : null;

    private static ProviderConfig ImplicitDefault(Func<string, string?> environment, out string notice)
    {
        if (environment("OPENAI_API_KEY") is { Length: > 0 })
        {
            notice =
                "no provider configured: model 'default' uses OpenAI (gpt-4o-mini) with OPENAI_API_KEY from the environment";
            return new ProviderConfig(
                DefaultAlias,
                "openai",
                environment("OPENAI_BASE_URL") is { Length: > 0 } ? "${env:OPENAI_BASE_URL}" : null,
                null,
                "${env:OPENAI_API_KEY}",
                null
            );
        }
        if (environment("ANTHROPIC_API_KEY") is { Length: > 0 })
        {
            notice =
                "no provider configured: model 'default' uses Anthropic (claude-haiku-4-5) with ANTHROPIC_API_KEY from the environment";
            return new ProviderConfig(DefaultAlias, "anthropic", null, null, "${env:ANTHROPIC_API_KEY}", null);
        }
        notice =
            "no provider configured and no OPENAI_API_KEY or ANTHROPIC_API_KEY: prompt agents use the built-in offline provider "
            + "(placeholder replies starting with [offline], not a real model); add 'providers:' to baton.yaml to use one";
        return new ProviderConfig(DefaultAlias, "offline", null, null, null, null);
    }
}

/// <summary>The provider setup cannot work as written; the message says what to change.</summary>
public sealed class ProviderConfigException(string message) : Exception(message);
