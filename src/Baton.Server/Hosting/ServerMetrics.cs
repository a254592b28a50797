using System.Diagnostics.Metrics;

namespace Baton.Server.Hosting;

/// <summary>
/// The server's own instruments (meter "Baton.Server"), exported by OpenTelemetry: to /metrics in the
/// Prometheus format and over OTLP when configured (docs/monitoring.md lists every name). The Prometheus
/// names are those of the hand-written /metrics this replaced: `baton.runs.started` is
/// `baton_runs_started_total`, and so on.
/// </summary>
public sealed class ServerMetrics
{
    public const string MeterName = "Baton.Server";

    private readonly Meter _meter;
    private readonly Counter<long> _runsStarted;
    private readonly Counter<long> _runsFinished;
    private readonly Counter<long> _events;
    private readonly Counter<long> _requests;

    public ServerMetrics(IMeterFactory meters)
    {
        // From the factory, not a static: each server (tests run several in one process) has its own meter,
        // disposed with it, so one server's gauges never report another's runs.
        _meter = meters.Create(MeterName);
        _runsStarted = _meter.CreateCounter<long>("baton.runs.started", description: "Runs started by this server.");
        _runsFinished = _meter.CreateCounter<long>("baton.runs.finished", description: "Runs finished, by status.");
        _events = _meter.CreateCounter<long>(
            "baton.events.written",
            description: "Events appended by this server's engines."
        );
        _requests = _meter.CreateCounter<long>("baton.http.requests", description: "HTTP requests served.");
        // A counter nobody added to is not exported at all; the hand-written /metrics showed these at 0 from the start.
        _runsStarted.Add(0);
        _events.Add(0);
        _requests.Add(0);
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

    public void RunStarted() => _runsStarted.Add(1);

    public void RunFinished(string status) => _runsFinished.Add(1, new KeyValuePair<string, object?>("status", status));

    public void EventWritten() => _events.Add(1);

    public void Request() => _requests.Add(1);
}
