using System.Text.Json;
using Baton.Costs;
using Baton.Runs;
using Baton.Server.Auth;
using Baton.Server.Hosting;
using Baton.Workspaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baton.Server.Api;

/// <summary>What the run page shows beside the summary: the run's inputs and, per agent, its models and tokens.</summary>
public static class RunDetailsApi
{
    public sealed record AgentUsage(
        IReadOnlyList<string> Models,
        int Calls,
        long InputTokens,
        long OutputTokens,
        decimal Usd
    );

    public sealed record Details(Dictionary<string, string> Inputs, Dictionary<string, AgentUsage> Usage);

    public static void MapRunDetails(this IEndpointRouteBuilder app, DataRoot data)
    {
        app.MapGet("/api/workspaces/{ws}/runs/{id}/details", (string ws, string id, RunHost host) =>
            {
                if (RunsApi.Find(data, ws, id) is not { } run)
                    return RunsApi.NoRun(id);
                // Inputs are the caller's words, but may quote a secret: masked like everything else served.
                var masker = Secrets.SecretMasker.ForWorkspace(host.WorkspaceOf(ws));
                var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
                try
                {
                    // Read below the run folder without following any symlink (an agent may plant one).
                    if (WorkspaceDirectory.ReadText(run.Path, "inputs.json", 1 << 20) is { } json)
                    {
                        using var doc = JsonDocument.Parse(json);
                        foreach (var p in doc.RootElement.EnumerateObject())
                            inputs[p.Name] = masker.Apply(
                                p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()
                            );
                    }
                }
                catch (Exception e) when (e is JsonException or IOException or UnsafePathException) { } // no inputs to show
                var usage = CostLedger
                    .Read(run.Path)
                    .GroupBy(e => e.Agent, StringComparer.Ordinal)
                    .ToDictionary(
                        g => g.Key,
                        g => new AgentUsage(
                            [.. g.Select(e => e.Model).Distinct(StringComparer.Ordinal)],
                            g.Count(),
                            g.Sum(e => e.Usage.InputTokens),
                            g.Sum(e => e.Usage.OutputTokens),
                            g.Sum(e => e.Usd)
                        )
                    );
                return Results.Ok(new Details(inputs, usage));
            })
            .Requires(data, Role.Viewer);
    }
}
