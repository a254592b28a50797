using System.Diagnostics;

namespace Baton.Telemetry;

/// <summary>
/// Baton's traces, as .NET's own ActivitySource: the core references no OpenTelemetry package, and a span
/// costs nothing when nobody listens (`baton run` on its own). `baton serve` subscribes with OpenTelemetry
/// and exports them (docs/monitoring.md). Metrics are in <see cref="BatonMetrics"/>.
/// </summary>
public static class BatonTelemetry
{
    public const string Name = "Baton";

    public static readonly ActivitySource Source = new(Name);
}
