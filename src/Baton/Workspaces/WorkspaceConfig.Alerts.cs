using System.Globalization;
using Baton.Chains;
using YamlDotNet.RepresentationModel;

namespace Baton.Workspaces;

/// <summary>baton.yaml `alerts:` (docs/monitoring.md): when Baton raises a monitoring alert, and where it also sends it.</summary>
public sealed record WorkspaceAlerts
{
    /// <summary>A successful run costing more than this factor × the chain's baseline (its last BaselineRuns successful runs' median).</summary>
    public double CostSpike { get; init; } = 2.0;

    /// <summary>The last 7 days' mean cost per successful run over the 7 days before, as a fraction (0.25 = +25 %).</summary>
    public double CostTrend { get; init; } = 0.25;

    public int BaselineRuns { get; init; } = 20;

    /// <summary>A provider's failed attempts over all its attempts in the health window, as a fraction.</summary>
    public double ErrorRate { get; init; } = 0.10;

    /// <summary>A provider's p95 call latency over this factor × its baseline p95 (the 7 days before the window).</summary>
    public double LatencyFactor { get; init; } = 2.0;

    /// <summary>Where each alert is also POSTed, signed (X-Baton-Signature-256); null: only alerts.jsonl.</summary>
    public Uri? Webhook { get; init; }

    /// <summary>`json` (the alert's own JSON object) or `slack` (`{"text": …}`, what a Slack incoming webhook takes).</summary>
    public string WebhookFormat { get; init; } = "json";

    /// <summary>The canary's similarity below which a case counts as changed (0–1).</summary>
    public double DriftSimilarity { get; init; } = 0.6;

    public static WorkspaceAlerts Default { get; } = new();
}

public sealed partial record WorkspaceConfig
{
    public WorkspaceAlerts Alerts { get; init; } = WorkspaceAlerts.Default;

    private static readonly string[] AlertKeys =
    [
        "cost_spike",
        "cost_trend",
        "baseline_runs",
        "error_rate",
        "latency_factor",
        "webhook",
        "format",
        "drift_similarity",
    ];

    private static WorkspaceAlerts ReadAlerts(YamlReader read, YamlNode node)
    {
        var alerts = WorkspaceAlerts.Default;
        if (read.Map(node, "'alerts'") is not { } map)
            return alerts;
        foreach (var (key, name, v) in read.Entries(map, "'alerts'"))
        {
            var what = $"'alerts.{name}'";
            switch (name)
            {
                case "cost_spike":
                    alerts = alerts with { CostSpike = Factor(read, v, what) ?? alerts.CostSpike };
                    break;
                case "latency_factor":
                    alerts = alerts with { LatencyFactor = Factor(read, v, what) ?? alerts.LatencyFactor };
                    break;
                case "cost_trend":
                    alerts = alerts with { CostTrend = Percent(read, v, what) ?? alerts.CostTrend };
                    break;
                case "error_rate":
                    alerts = alerts with { ErrorRate = Percent(read, v, what) ?? alerts.ErrorRate };
                    break;
                case "baseline_runs":
                    alerts = alerts with { BaselineRuns = read.Int(v, what, 3, 1000) ?? alerts.BaselineRuns };
                    break;
                case "webhook":
                    if (read.Text(v, what) is { } text)
                    {
                        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                            alerts = alerts with { Webhook = uri };
                        else
                            read.Errors.Add(v, $"{what} must be an http(s) URL, not '{text}'");
                    }
                    break;
                case "format":
                    if (read.Text(v, what) is { } format)
                    {
                        if (format is "json" or "slack")
                            alerts = alerts with { WebhookFormat = format };
                        else
                            read.Errors.Add(v, $"{what} must be json or slack, not '{format}'");
                    }
                    break;
                case "drift_similarity":
                    alerts = alerts with
                    {
                        DriftSimilarity = Percent(read, v, what) is { } d ? Math.Min(d, 1) : alerts.DriftSimilarity,
                    };
                    break;
                default:
                    read.UnknownKey(key, "'alerts'", AlertKeys);
                    break;
            }
        }
        return alerts;
    }

    /// <summary>A factor above 1 (2 = twice the baseline).</summary>
    private static double? Factor(YamlReader read, YamlNode node, string what)
    {
        if (
            node is YamlScalarNode { Value: { } text }
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value > 1
            && value <= 1000
        )
            return value;
        read.Errors.Add(node, $"{what} must be a factor above 1, e.g. 2.0 (twice the baseline)");
        return null;
    }

    /// <summary>`25%`, or a bare number of percent (25).</summary>
    private static double? Percent(YamlReader read, YamlNode node, string what)
    {
        if (
            node is YamlScalarNode { Value: { } text }
            && double.TryParse(
                text.TrimEnd().TrimEnd('%'),
                NumberStyles.Float,
                CultureInfo.InvariantCulture,
                out var value
            )
            && value > 0
            && value <= 10_000
        )
            return value / 100;
        read.Errors.Add(node, $"{what} must be a percentage above 0, e.g. 25%");
        return null;
    }
}
