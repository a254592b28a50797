using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Baton.Server.Hosting;

/// <summary>Counters for /metrics, in the Prometheus text format.</summary>
public sealed class ServerMetrics
{
    private long _runsStarted,
        _events,
        _requests;
    private readonly ConcurrentDictionary<string, long> _finished = new();

    public void RunStarted() => Interlocked.Increment(ref _runsStarted);

    public void RunFinished(string status) => _finished.AddOrUpdate(status, 1, (_, n) => n + 1);

    public void EventWritten() => Interlocked.Increment(ref _events);

    public void Request() => Interlocked.Increment(ref _requests);

    public string Render(RunHost host)
    {
        var text = new StringBuilder();
        void Metric(string name, string type, string help, IEnumerable<(string Labels, long Value)> values)
        {
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");
            foreach (var (labels, value) in values)
                text.Append(CultureInfo.InvariantCulture, $"{name}{labels} {value}\n");
        }
        Metric(
            "baton_runs_started_total",
            "counter",
            "Runs started by this server.",
            [("", Interlocked.Read(ref _runsStarted))]
        );
        Metric(
            "baton_runs_finished_total",
            "counter",
            "Runs finished, by status.",
            _finished.OrderBy(p => p.Key).Select(p => ($"{{status=\"{p.Key}\"}}", p.Value))
        );
        Metric("baton_runs_active", "gauge", "Runs with an engine loop right now.", [("", host.ActiveCount)]);
        Metric(
            "baton_runs_waiting",
            "gauge",
            "Runs paused at a decision (no engine, no memory).",
            [("", host.ParkedCount)]
        );
        Metric(
            "baton_events_written_total",
            "counter",
            "Events appended by this server's engines.",
            [("", Interlocked.Read(ref _events))]
        );
        Metric(
            "baton_http_requests_total",
            "counter",
            "HTTP requests served.",
            [("", Interlocked.Read(ref _requests))]
        );
        return text.ToString();
    }
}
