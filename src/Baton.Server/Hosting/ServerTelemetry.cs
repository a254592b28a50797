using Baton.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Baton.Server.Hosting;

/// <summary>
/// OpenTelemetry for `baton serve` (docs/monitoring.md): Baton's meters (runs, LLM calls, provider health),
/// ASP.NET Core's, HttpClient's and the runtime's, scraped at /metrics in the Prometheus format; and, when the
/// operator configures OTLP, the same metrics plus traces (a trace per run) pushed to a collector. Without OTLP
/// no tracer listens, so runs make no spans at all.
/// </summary>
public static class ServerTelemetry
{
    /// <summary>Label sets kept per framework metric (past it, OpenTelemetry counts into one overflow series).</summary>
    private const int FrameworkCardinalityLimit = 500;

    public static void AddBatonTelemetry(this IServiceCollection services, ServerSettings settings)
    {
        BatonMetrics.Enable();
        var otel = services
            .AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("baton"))
            .WithMetrics(metrics =>
                metrics
                    .AddMeter(ServerMetrics.MeterName, BatonMetrics.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    // Each metric stream allocates its cardinality limit's points up front (2,000 by default: ~180 KB a
                    // stream, ~9 MB for the ~50 streams of the framework's instruments, held for the server's life).
                    // The runtime's, ASP.NET Core's and HttpClient's label sets are small and fixed (a route, a status,
                    // a GC generation); Baton's own, labelled by workspace, chain and model, keep the default.
                    .AddView(instrument =>
                        instrument.Meter.Name is ServerMetrics.MeterName or BatonMetrics.Name
                            ? null
                            : new MetricStreamConfiguration { CardinalityLimit = FrameworkCardinalityLimit }
                    )
                    .AddPrometheusExporter(prometheus =>
                    {
                        // The names and labels of the hand-written /metrics this replaced, so scrapers keep working.
                        prometheus.ScopeInfoEnabled = false;
                        prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
                    })
            );
        if (!ExportsOtlp(settings))
            return;
        otel.WithTracing(tracing =>
            tracing.AddSource(BatonTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation()
        );
        if (settings.OtlpEndpoint is { } endpoint)
            otel.UseOtlpExporter(OtlpExportProtocol.HttpProtobuf, endpoint);
        else
            otel.UseOtlpExporter(); // the standard OTEL_EXPORTER_OTLP_* variables: endpoint, protocol, headers
    }

    private static bool ExportsOtlp(ServerSettings settings) =>
        settings.OtlpEndpoint is not null
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
}
