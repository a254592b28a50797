using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;

namespace Baton.Providers;

/// <summary>
/// IChatClients for resolved providers. One HttpClient (with its ResilientHandler, and so one
/// circuit breaker and one connection pool) and one ProviderGate per provider endpoint and key,
/// shared by every run of the process, and the SDK clients on top, one per model.
/// </summary>
public sealed class ProviderPool(ProviderOptions options) : IDisposable
{
    private sealed record Endpoint(HttpClient Http, ProviderGate Gate);

    private readonly ConcurrentDictionary<string, Lazy<Endpoint>> _endpoints = new(StringComparer.Ordinal);

    public ProviderOptions Options { get; } = options;

    private static readonly OfflineChatClient Offline = new();
    private readonly ConcurrentDictionary<string, IChatClient> _clients = new(StringComparer.Ordinal);

    /// <summary>The provider's SDK client for the model, made on first use and kept: the SDKs' clients are thread-safe, and building one per call cost each call its pipeline.</summary>
    public IChatClient ChatClient(ResolvedProvider provider) =>
        provider.Type == "offline"
            ? Offline
            : _clients.GetOrAdd($"{Identity(provider)}|{provider.Model}", _ => provider.Type switch
                {
                    "openai" => OpenAi(provider),
                    "anthropic" => Anthropic(provider),
                    "ollama" => Ollama(provider),
                    _ => throw new ProviderConfigException($"unknown provider type '{provider.Type}'"),
                });

    /// <summary>The gate a call to this provider waits at; null for the offline provider, which is no endpoint.</summary>
    public ProviderGate? Gate(ResolvedProvider provider) =>
        provider.Type == "offline" ? null : EndpointOf(provider).Gate;

    /// <summary>The gates of the endpoints called so far (for metrics and tests).</summary>
    public IEnumerable<ProviderGate> Gates => _endpoints.Values.Where(l => l.IsValueCreated).Select(l => l.Value.Gate);

    private IChatClient OpenAi(ResolvedProvider provider)
    {
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = new Uri(provider.BaseUrl),
            RetryPolicy = new ClientRetryPolicy(0), // Baton's ResilientHandler retries; the SDK's would multiply them
            NetworkTimeout = Timeout.InfiniteTimeSpan, // the handler's per-attempt deadline is the timeout
            Transport = new HttpClientPipelineTransport(Http(provider)),
        };
        clientOptions.AddPolicy(CompactRequestBody.Instance, PipelinePosition.PerCall);
        // Local OpenAI-compatible servers often need no key; the SDK insists on one.
        return new OpenAIClient(new ApiKeyCredential(provider.ApiKey ?? "none"), clientOptions)
            .GetChatClient(provider.Model)
            .AsIChatClient();
    }

    private IChatClient Anthropic(ResolvedProvider provider)
    {
        // The API is {BaseUrl}/v1/messages; accept a base_url written with /v1 as well.
        var baseUrl = provider.BaseUrl.EndsWith("/v1", StringComparison.Ordinal)
            ? provider.BaseUrl[..^3]
            : provider.BaseUrl;
        return new AnthropicChatClient(
            Http(provider),
            baseUrl,
            provider.ApiKey ?? "none",
            provider.Model,
            maxTokens: 8192
        );
    }

    private IChatClient Ollama(ResolvedProvider provider)
    {
        var http = Http(provider);
        return new OllamaApiClient(http, provider.Model, OllamaJson.Default);
    }

    private HttpClient Http(ResolvedProvider provider) => EndpointOf(provider).Http;

    private Endpoint EndpointOf(ResolvedProvider provider)
    {
        var capacity = provider.MaxConcurrentCalls ?? Options.MaxConcurrentCalls;
        return _endpoints
            .GetOrAdd(Identity(provider), _ => new Lazy<Endpoint>(() =>
            {
                var gate = new ProviderGate(capacity, Options.Time);
                var sockets = new SocketsHttpHandler
                {
                    ConnectTimeout = Options.ConnectTimeout,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5), // picks up DNS changes of hosted APIs
                    MaxConnectionsPerServer = capacity,
                    // Over HTTP/2 a connection carries as many calls as the server allows (often 100); more open more
                    // connections rather than queueing behind them (the gate is what bounds the calls).
                    EnableMultipleHttp2Connections = true,
                };
                var http = new HttpClient(new ResilientHandler(provider, Options, sockets, gate))
                {
                    Timeout = Timeout.InfiniteTimeSpan,
                    BaseAddress = provider.Type == "ollama" ? new Uri(provider.BaseUrl + "/") : null,
                };
                return new Endpoint(http, gate);
            }))
            .Value;
    }

    // The key is part of the identity (two keys = two rate limits) but only as a hash: these dictionaries are not a place for keys.
    private string Identity(ResolvedProvider provider)
    {
        var keyHash = provider.ApiKey is null
            ? ""
            : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(provider.ApiKey)))[..16];
        return $"{provider.Type}|{provider.Alias}|{provider.BaseUrl}|{keyHash}|{provider.Timeout}|{provider.MaxConcurrentCalls ?? Options.MaxConcurrentCalls}";
    }

    public void Dispose()
    {
        foreach (var endpoint in _endpoints.Values.Where(l => l.IsValueCreated))
            endpoint.Value.Http.Dispose();
        _endpoints.Clear();
        _clients.Clear();
    }
}
