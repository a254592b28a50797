using Baton.Chains;
using Baton.Health;
using Baton.Monitoring;
using Baton.Server.Auth;
using Baton.Workspaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Baton.Server.Api;

/// <summary>
/// A workspace's monitoring (docs/monitoring.md): the health of the model APIs its runs called, its alerts,
/// and each chain's cost per run over time. All from the workspace's own files: one tenant never sees
/// another's providers.
/// </summary>
public static class MonitoringApi
{
    private const int MaxCostPoints = 500;

    public static void MapMonitoring(this IEndpointRouteBuilder app, DataRoot data, TimeProvider time)
    {
        var ws = app.MapGroup("/api/workspaces/{ws}");

        ws.MapGet("/health", Results<Ok<HealthReport>, ProblemHttpResult> (string ws, string? window) =>
            {
                var span = HealthReport.DefaultWindow;
                if (window is not null && !Duration.TryParse(window, out span, out var error))
                    return TypedResults.Problem(
                        title: "Bad request",
                        detail: $"'window': {error}",
                        statusCode: StatusCodes.Status400BadRequest
                    );
                var root = data.WorkspacePath(ws);
                return TypedResults.Ok(HealthReport.For(root, Thresholds(data, ws), time.GetUtcNow(), span));
            })
            .Requires(data, Role.Viewer);

        ws.MapGet("/alerts", (string ws, int? last) =>
                TypedResults.Ok(
                    AlertLog.Read(data.WorkspacePath(ws)).TakeLast(Math.Clamp(last ?? 100, 1, 1000)).Reverse().ToList()
                )
            )
            .Requires(data, Role.Viewer);

        // The key alerts.webhook deliveries are signed with (derived from the master key; never a file in the
        // workspace): an owner's, for the receiver.
        ws.MapGet("/alerts/signing-key", (string ws) =>
                TypedResults.Text(AlertWebhook.SigningKey(data.OpenWorkspace(ws)) + "\n")
            )
            .Requires(data, Role.Owner);

        ws.MapGet("/cost-history", (string ws) =>
            {
                var root = data.WorkspacePath(ws);
                var chains = ChainsWithHistory(root);
                var thresholds = Thresholds(data, ws);
                return TypedResults.Ok(
                    chains
                        .Select(chain => new ChainCosts(
                            chain,
                            [
                                .. RunCost
                                    .History(root, chain)
                                    .TakeLast(MaxCostPoints)
                                    .Select(r => new CostPoint(
                                        r.Time,
                                        r.Run,
                                        r.Status,
                                        Math.Round(r.Usd, 6),
                                        r.Quality
                                    )),
                            ],
                            thresholds.BaselineRuns
                        ))
                        .ToList()
                );
            })
            .Requires(data, Role.Viewer);
    }

    private static List<string> ChainsWithHistory(string workspaceRoot) =>
        [
            .. WorkspaceDirectory
                .Names(workspaceRoot, RunCost.Folder)
                .Where(n => n.EndsWith(".jsonl", StringComparison.Ordinal))
                .Select(n => n[..^".jsonl".Length]),
        ];

    /// <summary>One run of a chain: its cost, and its quality score when it has checks.</summary>
    public sealed record CostPoint(DateTimeOffset Time, string Run, string Status, double Usd, double? Quality);

    public sealed record ChainCosts(string Chain, IReadOnlyList<CostPoint> Runs, int BaselineRuns);

    /// <summary>The workspace's alert thresholds; a baton.yaml with errors still gets its health shown, by the defaults.</summary>
    private static WorkspaceAlerts Thresholds(DataRoot data, string ws)
    {
        try
        {
            return data.OpenWorkspace(ws).Config.Alerts;
        }
        catch (ChainValidationException)
        {
            return WorkspaceAlerts.Default;
        }
    }
}
