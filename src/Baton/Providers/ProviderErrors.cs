using System.Net;
using System.Text.Json;

namespace Baton.Providers;

internal sealed partial class ResilientHandler
{
    private const int MaxMessageLength = 600;

    /// <summary>A failed reply as a ProviderException whose message is the provider's own error text.</summary>
    private async Task<ProviderException> ErrorFromResponseAsync(
        HttpResponseMessage response,
        CancellationToken cancellationToken
    )
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var said = ProviderMessage(text);
        var attempts = CallRecorder.Current?.Attempts.Count ?? 1;
        var after = attempts > 1 ? $" (after {attempts} attempts)" : "";
        var reason = response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => "rate_limit",
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => "auth",
            _ => "provider",
        };
        var hint = reason == "auth" ? "; check the provider's api_key in baton.yaml" : "";
        var wait =
            RetryAfterHeader(response) is { } w && w > _options.MaxRetryAfter
                ? $"; it asks to wait {w.TotalSeconds:0}s, longer than Baton waits"
                : "";
        return new ProviderException(
            reason,
            $"provider '{_provider.Alias}' answered {status} {response.ReasonPhrase}{after}: {said}{hint}{wait}",
            status
        );
    }

    /// <summary>error.message (OpenAI, Anthropic), error (Ollama) or message; else the body itself, cut short.</summary>
    internal static string ProviderMessage(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var error))
                {
                    if (error.ValueKind == JsonValueKind.String)
                        return Cut(error.GetString()!);
                    if (
                        error.ValueKind == JsonValueKind.Object
                        && error.TryGetProperty("message", out var m)
                        && m.ValueKind == JsonValueKind.String
                    )
                        return Cut(m.GetString()!);
                }
                if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                    return Cut(message.GetString()!);
            }
        }
        catch (JsonException) { }
        return string.IsNullOrWhiteSpace(body) ? "(no error message in the reply)" : Cut(body.Trim());
    }

    private static string Cut(string text) => text.Length <= MaxMessageLength ? text : text[..MaxMessageLength] + "…";
}
