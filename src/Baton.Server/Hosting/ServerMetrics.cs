using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Baton.Server.Hosting;

/// <summary>
/// The server's own instruments (meter "Baton.Server"), exported by OpenTelemetry: to /metrics in the
/// Prometheus format and over OTLP when configured (docs/monitoring.md lists every name). The Prometheus
/// names are those of the hand-written /metrics this replaced: `baton.runs.started` is
/// `baton_runs_started_total`, and so on.
/// Counted here and observed at collection (observable counters), not pushed per event: nothing is lost before
/// OpenTelemetry starts listening, a count at 0 is exported as 0, and an event costs one interlocked add.
/// </summary>
public sealed class ServerMetrics
{
    public const string MeterName = "Baton.Server";

    private readonly Meter _meter;
    private long _runsStarted,
        _events,
        _requests;
    private readonly ConcurrentDictionary<string, long> _finished = new(StringComparer.Ordinal);

    public ServerMetrics(IMeterFactory meters)
    {
        // From the factory, not a static: each server (tests run several in one process) has its own meter,
        // disposed with it.
        _meter = meters.Create(MeterName);
        _meter.CreateObservableCounter(
            "baton.runs.started",
            () => Interlocked.Read(ref _runsStarted),
            description: "Runs started by this server."
        );
        _meter.CreateObservableCounter(
            "baton.runs.finished",
            () =>
                _finished.Select(p => new Measurement<long>(
                    p.Value,
                    new KeyValuePair<string, object?>("status", p.Key)
                )),
            description: "Runs finished, by status."
        );
        _meter.CreateObservableCounter(
            "baton.events.written",
            () => Interlocked.Read(ref _events),
            description: "Events appended by this server's engines."
        );
        _meter.CreateObservableCounter(
            "baton.http.requests",
            () => Interlocked.Read(ref _requests),
            description: "HTTP requests served."
        );
    }

    /// <summary>The gauges read the host's counts when a scrape or export asks (the host needs this class first, so not in the constructor).</summary>
    public void Observe(RunHost host)
    {
        _meter.CreateObservableGauge(
            "baton.runs.active",
            () => host.ActiveCount,
            description: "Runs with an engine loop right now."
        );
        _meter.CreateObservableGauge(
            "baton.runs.waiting",
            () => host.ParkedCount,
            description: "Runs paused at a decision (no engine, no memory)."
        );
    }

    public void RunStarted() => Interlocked.Increment(ref _runsStarted);

    public void RunFinished(string status) => _finished.AddOrUpdate(status, 1, (_, n) => n + 1);

    public void EventWritten() => Interlocked.Increment(ref _events);

    public void Request() => Interlocked.Increment(ref _requests);
}
