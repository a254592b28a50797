using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Baton.Telemetry;

/// <summary>
/// Each provider endpoint's circuit breaker as last reported by its ResilientHandler (Polly's
/// OnOpened/OnHalfOpened/OnClosed), for the `baton.provider.circuit.state` gauge and `baton serve`'s
/// health page. Process-wide, like the breakers' pool.
/// </summary>
public static class CircuitStates
{
    public enum State
    {
        Closed = 0,
        HalfOpen = 1,
        Open = 2,
    }

    public sealed record Entry(string Provider, string BaseUrl, State State, DateTimeOffset Since);

    private static readonly ConcurrentDictionary<(string Provider, string BaseUrl), Entry> States = new();

    public static void Set(string provider, string baseUrl, State state, DateTimeOffset now)
    {
        States[(provider, baseUrl)] = new Entry(provider, baseUrl, state, now);
        if (state == State.Open && BatonMetrics.Enabled)
            BatonMetrics.Instruments.CircuitOpened.Add(
                1,
                new KeyValuePair<string, object?>("baton.provider", provider)
            );
    }

    public static IReadOnlyList<Entry> All => [.. States.Values.OrderBy(e => e.Provider, StringComparer.Ordinal)];

    internal static IEnumerable<Measurement<int>> Observe() =>
        States.Values.Select(e => new Measurement<int>(
            (int)e.State,
            new KeyValuePair<string, object?>("baton.provider", e.Provider),
            new KeyValuePair<string, object?>("server.address", e.BaseUrl)
        ));
}
