using System.Diagnostics.Metrics;

namespace Baton.Telemetry;

/// <summary>
/// Baton's metrics (meter "Baton"): GenAI semantic-convention instruments and provider health. Built only
/// when a process asks for them (<see cref="Enable"/>, which `baton serve` calls before it exports): a
/// `baton run` has no exporter, and creating the meter's instruments cost its start ~20 JIT-compiled
/// generic methods for nothing (finding 33 in docs/performance.md). Static, like HttpClient's instruments:
/// one process, one set of LLM calls.
/// </summary>
public static class BatonMetrics
{
    public const string Name = BatonTelemetry.Name;

    private static volatile bool _enabled;

    /// <summary>True once a process asked for metrics; recorders skip their work until then.</summary>
    public static bool Enabled => _enabled;

    /// <summary>Creates the instruments (so an exporter sees the gauges before the first call) and turns recording on.</summary>
    public static void Enable()
    {
        _ = Instruments.Meter;
        _enabled = true;
    }

    /// <summary>The instruments, created on first use of this class (the CLR runs its static initialisers once).</summary>
    public static class Instruments
    {
        public static readonly Meter Meter = new(Name);

        // The GenAI conventions' advised buckets: seconds for durations, powers of 4 for token counts.
        private static readonly double[] SecondsBuckets =
        [
            0.01,
            0.02,
            0.04,
            0.08,
            0.16,
            0.32,
            0.64,
            1.28,
            2.56,
            5.12,
            10.24,
            20.48,
            40.96,
            81.92,
        ];
        private static readonly double[] TokenBuckets =
        [
            1,
            4,
            16,
            64,
            256,
            1024,
            4096,
            16384,
            65536,
            262144,
            1048576,
            4194304,
            16777216,
            67108864,
        ];

        public static readonly Histogram<double> OperationDuration = Meter.CreateHistogram(
            "gen_ai.client.operation.duration",
            "s",
            "GenAI operation duration: one LLM call, retries included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets }
        );

        public static readonly Histogram<double> TimeToFirstChunk = Meter.CreateHistogram(
            "gen_ai.client.operation.time_to_first_chunk",
            "s",
            "Time from the request to the first streamed chunk of the reply (streaming calls only).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets }
        );

        public static readonly Histogram<long> TokenUsage = Meter.CreateHistogram(
            "gen_ai.client.token.usage",
            "{token}",
            "Tokens used per LLM call, by gen_ai.token.type (input, output).",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [.. TokenBuckets.Select(b => (long)b)] }
        );

        public static readonly Counter<long> Attempts = Meter.CreateCounter<long>(
            "baton.provider.attempts",
            "{attempt}",
            "HTTP attempts at a provider, by outcome: ok, rate_limit (429), server_error (5xx), timeout, connection, client_error."
        );

        public static readonly Counter<long> CircuitOpened = Meter.CreateCounter<long>(
            "baton.provider.circuit.opened",
            "{event}",
            "Times a provider's circuit breaker opened (Baton stopped calling it for a while)."
        );

        static Instruments()
        {
            Meter.CreateObservableGauge(
                "baton.provider.circuit.state",
                () => CircuitStates.Observe(),
                description: "A provider's circuit breaker: 0 closed, 1 half-open, 2 open."
            );
        }
    }
}
