using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Baton.Telemetry;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Baton.Providers;

/// <summary>
/// The one place Baton's provider resilience lives, under every SDK (whose own retries are off so
/// they do not multiply): retries with exponential backoff and jitter on 429, 5xx, timeouts and
/// dropped connections, honouring Retry-After; a deadline per attempt that also covers the reply
/// body; a circuit breaker per provider; and a provider that cannot be reached fails at once.
/// Rate-limit headers pause the provider's gate, so its other calls wait too.
/// A call that fails for good becomes a ProviderException carrying the provider's own message.
/// </summary>
internal sealed partial class ResilientHandler : DelegatingHandler
{
    private readonly ResolvedProvider _provider;
    private readonly ProviderOptions _options;
    private readonly TimeSpan _timeout;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ProviderGate? _gate;
    private readonly CircuitBreakerStateProvider _circuit = new();

    public ResilientHandler(
        ResolvedProvider provider,
        ProviderOptions options,
        HttpMessageHandler inner,
        ProviderGate? gate = null
    )
        : base(inner)
    {
        _provider = provider;
        _gate = gate;
        _options = options;
        _timeout = provider.Timeout ?? options.DefaultTimeout;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(
                new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryBaseDelay,
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
                    DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                    OnRetry = args =>
                    {
                        args.Outcome.Result?.Dispose();
                        return default;
                    },
                }
            );
        }
        builder.AddCircuitBreaker(
            new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 1.0,
                MinimumThroughput = Math.Max(2, options.BreakAfterFailures),
                SamplingDuration = TimeSpan.FromMinutes(1),
                BreakDuration = options.BreakDuration,
                ShouldHandle = args =>
                    ValueTask.FromResult(
                        IsTransient(args.Outcome)
                            || args.Outcome.Exception is ProviderException { Reason: "unreachable" }
                    ),
                // Reported for the circuit gauge (Polly runs these callbacks on its own, outside the call's flow).
                StateProvider = _circuit,
                OnOpened = _ =>
                {
                    CircuitStates.Set(
                        provider.Alias,
                        provider.BaseUrl,
                        CircuitStates.State.Open,
                        options.Time.GetUtcNow()
                    );
                    CallRecorder.Current?.MarkCircuitOpened();
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    CircuitStates.Set(
                        provider.Alias,
                        provider.BaseUrl,
                        CircuitStates.State.HalfOpen,
                        options.Time.GetUtcNow()
                    );
                    return default;
                },
                OnClosed = _ =>
                {
                    CircuitStates.Set(
                        provider.Alias,
                        provider.BaseUrl,
                        CircuitStates.State.Closed,
                        options.Time.GetUtcNow()
                    );
                    return default;
                },
            }
        );
        _pipeline = builder.Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request,
        CancellationToken cancellationToken
    )
    {
        // HTTP/2 wherever the provider offers it, which over TLS every hosted API does: calls then share a few
        // connections rather than each holding its own TLS session (~100 KB apiece; 1,000 calls awaiting a model held
        // ~100 MB more over HTTP/1.1, docs/performance.md, finding 63). Plain http:// stays HTTP/1.1: no h2c guessing.
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        var recorder = CallRecorder.Current;
        string? body = null;
        if (request.Content is { } content)
        {
            // Buffered once: every attempt sends it from this buffer, and the call record reads it from there.
            await content.LoadIntoBufferAsync(cancellationToken);
            body = await content.ReadAsStringAsync(cancellationToken);
        }
        recorder?.SetRequest(request.RequestUri?.GetLeftPart(UriPartial.Path) ?? "", body);
        HttpResponseMessage response;
        var wasOpen = _circuit.CircuitState is CircuitState.Open or CircuitState.Isolated;
        var attempts = 0;
        try
        {
            response = await _pipeline.ExecuteAsync(
                token => AttemptAsync(request, ++attempts == 1, recorder, token),
                cancellationToken
            );
        }
        catch (Exception) when (NoteTrip(recorder, wasOpen))
        {
            throw; // never: NoteTrip only looks
        }
        catch (BrokenCircuitException e)
        {
            recorder?.MarkCircuitRefused();
            throw new ProviderException(
                "provider",
                $"provider '{_provider.Alias}' is failing: {_options.BreakAfterFailures} calls in a row failed, so Baton stops calling it for {_options.BreakDuration.TotalSeconds:0}s (circuit open); last error: {e.InnerException?.Message ?? e.Message}",
                inner: e
            );
        }
        catch (AttemptTimeoutException e)
        {
            throw new ProviderException(
                "timeout",
                $"provider '{_provider.Alias}' did not answer within {_timeout.TotalSeconds:0.###}s (the provider's timeout), {_options.MaxRetries + 1} attempts",
                inner: e
            );
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(
                "provider",
                $"provider '{_provider.Alias}' at {_provider.BaseUrl}: {e.Message}",
                inner: e
            );
        }
        NoteTrip(recorder, wasOpen);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
                throw await ErrorFromResponseAsync(response, cancellationToken);
        }
        return response;
    }

    /// <param name="first">The first attempt sends the request itself; a retry sends a copy (a message is sent once).</param>
    private async ValueTask<HttpResponseMessage> AttemptAsync(
        HttpRequestMessage original,
        bool first,
        CallRecorder? recorder,
        CancellationToken cancellationToken
    )
    {
        var request = first ? original : await CloneAsync(original, cancellationToken);
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            var response = await base.SendAsync(request, deadline.Token);
            // The provider's own limits hold back every caller of it, not only this call's retry.
            if (_gate is not null && RateLimitHeaders.Pause(response, _options.Time.GetUtcNow()) is { } pause)
                _gate.PauseFor(pause < _options.MaxRetryAfter ? pause : _options.MaxRetryAfter);
            if (!IsEventStream(response) || !response.IsSuccessStatusCode)
            {
                // Buffered inside the attempt, so a body that never comes is a timeout Baton can retry.
                await response.Content.LoadIntoBufferAsync(deadline.Token);
                var bytes = await response.Content.ReadAsByteArrayAsync(deadline.Token);
                recorder?.SetResponse((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, bytes);
                recorder?.AddAttempt(
                    new CallAttempt((int)response.StatusCode, null, clock.ElapsedMilliseconds, RetryInMs(response))
                );
                deadline.Dispose();
                return response;
            }
            recorder?.SetResponse((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, []);
            recorder?.AddAttempt(new CallAttempt((int)response.StatusCode, null, clock.ElapsedMilliseconds));
            var stream = new DeadlineStream(
                await response.Content.ReadAsStreamAsync(deadline.Token),
                deadline,
                _timeout,
                _provider.Alias,
                recorder
            );
            var content = new StreamContent(stream);
            foreach (var header in response.Content.Headers)
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            response.Content = content;
            return response; // the deadline now belongs to the stream
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            deadline.Dispose();
            recorder?.AddAttempt(new CallAttempt(null, "timeout", clock.ElapsedMilliseconds));
            throw new AttemptTimeoutException(e);
        }
        catch (HttpRequestException e) when (Unreachable(e) is { } why)
        {
            deadline.Dispose();
            recorder?.AddAttempt(new CallAttempt(null, why, clock.ElapsedMilliseconds));
            throw new ProviderException(
                "unreachable",
                $"cannot reach provider '{_provider.Alias}' at {_provider.BaseUrl}: {why}; is it running and is base_url right?",
                inner: e
            );
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            deadline.Dispose();
            recorder?.AddAttempt(new CallAttempt(null, e.Message, clock.ElapsedMilliseconds));
            throw;
        }
    }

    /// <summary>Marks the call whose failure opened the breaker (Polly changes the state before the call returns); always false, for use as a filter.</summary>
    private bool NoteTrip(CallRecorder? recorder, bool wasOpen)
    {
        if (!wasOpen && _circuit.CircuitState == CircuitState.Open)
            recorder?.MarkCircuitOpened();
        return false;
    }

    private static async Task<HttpRequestMessage> CloneAsync(
        HttpRequestMessage original,
        CancellationToken cancellationToken
    )
    {
        var body = original.Content is null ? null : await original.Content.ReadAsByteArrayAsync(cancellationToken);
        var clone = new HttpRequestMessage(original.Method, original.RequestUri)
        {
            Version = original.Version,
            VersionPolicy = original.VersionPolicy,
        };
        foreach (var header in original.Headers)
            clone.Headers.TryAddWithoutValidation(header.Key, header.Value);
        if (body is not null)
        {
            clone.Content = new ByteArrayContent(body);
            foreach (var header in original.Content!.Headers)
                clone.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        foreach (var option in original.Options)
            ((IDictionary<string, object?>)clone.Options)[option.Key] = option.Value;
        return clone;
    }

    private static bool IsEventStream(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is "text/event-stream" or "application/x-ndjson";

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome) =>
        IsTransient(outcome)
        && (
            outcome.Result is null || RetryAfterHeader(outcome.Result) is not { } wait || wait <= _options.MaxRetryAfter
        );

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome switch
        {
            { Exception: AttemptTimeoutException or IOException } => true,
            { Exception: HttpRequestException } => true, // unreachable is a ProviderException, never retried
            { Result: { } r } => r.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
                || (int)r.StatusCode >= 500,
            _ => false,
        };

    private static TimeSpan? RetryAfter(HttpResponseMessage? response) =>
        response is null ? null : RetryAfterHeader(response);

    private static TimeSpan? RetryAfterHeader(HttpResponseMessage response) =>
        RateLimitHeaders.RetryAfter(response, DateTimeOffset.UtcNow);

    private static long? RetryInMs(HttpResponseMessage response) =>
        RetryAfterHeader(response) is { } t ? (long)t.TotalMilliseconds : null;

    /// <summary>Why the provider cannot be reached at all (nothing listening, no such host), or null for a transient failure.</summary>
    private static string? Unreachable(HttpRequestException e)
    {
        if (e.HttpRequestError == HttpRequestError.NameResolutionError)
            return "no such host";
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (
                inner is SocketException s
                && s.SocketErrorCode
                    is SocketError.ConnectionRefused
                        or SocketError.HostNotFound
                        or SocketError.HostUnreachable
                        or SocketError.NetworkUnreachable
                        or SocketError.AddressNotAvailable
            )
                return s.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused" : s.Message;
        }
        return null;
    }
}

/// <summary>One attempt ran out of time; retried like a 5xx.</summary>
internal sealed class AttemptTimeoutException(Exception inner) : Exception("the attempt timed out", inner);
