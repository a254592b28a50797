using System.Text.Json;
using System.Text.Json.Serialization;
using Baton.Chains;
using Baton.Events;
using Baton.Prompts;
using Baton.Runs;
using Baton.Server.Auth;
using Baton.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baton.Server.Api;

public static class RunsApi
{
    /// <param name="Version">`production` (default) or `staging`: the chain with its staged files over production's (review: required).</param>
    public sealed record StartRequest(string? Chain, Dictionary<string, string>? Inputs, string? Version = null);

    /// <summary>A run started (POST …/runs, a webhook: Replayed when the delivery had started it before).</summary>
    public sealed record Started(
        string Id,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Replayed = null
    );

    public sealed record Cancelling(string Id, string Status = "cancelling");

    public static void MapRuns(this IEndpointRouteBuilder app, DataRoot data)
    {
        var runs = app.MapGroup("/api/workspaces/{ws}/runs");

        runs.MapPost("/", async (string ws, StartRequest request, HttpContext http, RunHost host) =>
            {
                if (request.Version is not (null or "production" or "staging"))
                    return Problems.BadRequest(
                        $"'version' is 'production' (the default) or 'staging', not '{request.Version}'"
                    );
                var staging = new Staging(data.WorkspacePath(ws));
                // Under review the chain is loaded and snapshotted under the staging gate: a promotion being applied
                // is seen whole or not at all. (Only then: a workspace without review has no promotions, and W3
                // starts a thousand runs at once.)
                var gated = ReviewedWrite.ReviewRequired(host, ws);
                if (gated)
                    await staging.Gate.WaitAsync();
                RunFolder run;
                Task durable;
                Chain chain;
                try
                {
                    if (request.Chain is null || ChainsApi.ChainFile(data, ws, request.Chain) is not { } file)
                        return Problems.NotFound($"no chain '{request.Chain}' in '{ws}'");
                    var relative = Staging.ChainPath(request.Chain);
                    var yaml =
                        request.Version == "staging"
                            ? staging.ReadStagedOrProduction(relative)
                            : ChainsApi.ReadChain(data, ws, request.Chain);
                    if (yaml is null)
                        return Problems.NotFound($"no chain '{request.Chain}' in '{ws}'");
                    if (host.RefusedEnvironment(ws) is { } refusal)
                        return Problems.Result(
                            StatusCodes.Status422UnprocessableEntity,
                            "Refused configuration",
                            refusal
                        );
                    try
                    {
                        chain = ChainCache.Load(
                            file,
                            yaml,
                            request.Version == "staging"
                                ? staging.Reader(relative)
                                : ChainFiles.Reader(file, data.WorkspacePath(ws))
                        );
                    }
                    catch (ChainValidationException e)
                    {
                        return ChainsApi.ValidationProblem(data, ws, e.Errors);
                    }
                    if (chain.ServerErrors.Count > 0)
                        return ChainsApi.ValidationProblem(data, ws, chain.ServerErrors);
                    (run, durable) = host.StartRun(ws, chain, yaml, request.Inputs ?? []);
                }
                catch (InputException e)
                {
                    return Problems.Result(
                        StatusCodes.Status422UnprocessableEntity,
                        "Invalid inputs",
                        string.Join("\n", e.Errors)
                    );
                }
                finally
                {
                    if (gated)
                        staging.Gate.Release();
                }
                // One commit round for the run's folder and the audit line, not one after the other.
                await Task.WhenAll(
                    durable,
                    http.AuditAsync(
                        data,
                        ws,
                        "run.start",
                        run.Id,
                        request.Version == "staging" ? $"{chain.Name} (staging)" : chain.Name
                    )
                );
                return Results.Created($"/api/workspaces/{ws}/runs/{run.Id}", new Started(run.Id));
            })
            .Requires(data, Role.Editor);

        runs.MapGet(
                "/",
                (
                    string ws,
                    string? status,
                    string? chain,
                    string? q,
                    string? from,
                    string? to,
                    string? before,
                    int? limit,
                    RunHost host
                ) =>
                {
                    var (query, error) = RunsQuery.Parse(status, chain, q, from, to, before, limit);
                    return query is null
                        ? Problems.BadRequest(error!)
                        : Results.Ok(query.Run(Path.Combine(data.WorkspacePath(ws), "runs"), host.Summary));
                }
            )
            .Requires(data, Role.Viewer);

        runs.MapGet("/{id}", (string ws, string id, RunHost host) =>
                Find(data, ws, id) is { } run ? Results.Ok(host.Summary(run)) : NoRun(id)
            )
            .Requires(data, Role.Viewer);

        runs.MapGet("/{id}/events", async (string ws, string id, HttpContext http) =>
            {
                if (Find(data, ws, id) is not { } run)
                    return NoRun(id);
                if (!http.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.Ordinal))
                    return Results.Text(EventJson.ToApiArray(EventReader.ReadAll(run.Events)), "application/json");
                await EventStream.WriteAsync(http, run);
                return Results.Empty;
            })
            .Requires(data, Role.Viewer);

        runs.MapGet("/{id}/agents/{agent}/output", (string ws, string id, string agent, RunHost host) =>
                AgentFile(data, host, ws, id, agent, "output")
            )
            .Requires(data, Role.Viewer);
        runs.MapGet(
                "/{id}/agents/{agent}/logs/{stream}",
                (string ws, string id, string agent, string stream, RunHost host) =>
                    stream is "stdout" or "stderr"
                        ? AgentFile(data, host, ws, id, agent, $"{stream}.log")
                        : Problems.NotFound("logs are 'stdout' or 'stderr'")
            )
            .Requires(data, Role.Viewer);

        runs.MapPost("/{id}/cancel", async (string ws, string id, HttpContext http, RunHost host) =>
            {
                if (Find(data, ws, id) is not { } run)
                    return NoRun(id);
                var summary = RunSummary.Load(run);
                if (summary.Status.IsFinished())
                    return Problems.Conflict($"run {id} already {summary.Status.Wire()}");
                await InboxWriter.WriteAsync(run.Inbox, new RunCancel(http.Caller().Name));
                await http.AuditAsync(data, ws, "run.cancel", id);
                host.Launch(ws, run, skipQueue: true);
                return Results.Accepted($"/api/workspaces/{ws}/runs/{id}", new Cancelling(id));
            })
            .Requires(data, Role.Editor);
    }

    internal static RunFolder? Find(DataRoot data, string ws, string id)
    {
        if (!RunIds.IsValid(id))
            return null;
        var run = new RunFolder(Path.Combine(data.WorkspacePath(ws), "runs"), id);
        return run.Exists ? run : null;
    }

    internal static IResult NoRun(string id) => Problems.NotFound($"no run '{id}'");

    /// <summary>Agent files are untrusted: served as plain text, never sniffed as HTML.</summary>
    private static IResult AgentFile(DataRoot data, RunHost host, string ws, string id, string agent, string file)
    {
        if (Find(data, ws, id) is not { } run)
            return NoRun(id);
        if (!ChainNames.Agent().IsMatch(agent))
            return Problems.NotFound($"no agent '{agent}'");
        var path = Path.Combine(run.AgentDir(agent), file);
        if (!File.Exists(path) || SafePaths.IsSymlink(path) || SafePaths.IsSymlink(run.AgentDir(agent)))
            return Problems.NotFound($"agent '{agent}' has no {file} yet");
        var masker = Secrets.SecretMasker.ForWorkspace(host.WorkspaceOf(ws));
        if (masker.IsEmpty)
            return Results.File(path, "text/plain; charset=utf-8", enableRangeProcessing: true);
        // A running agent's files are masked on disk only when it exits: mask what is served meanwhile.
        const int MaxServed = 64 << 20;
        var bytes = SafePaths.ReadAgentFile(path, MaxServed);
        var text = System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, MaxServed));
        return Results.Text(
            masker.Apply(text) + (bytes.Length > MaxServed ? "\n[… cut: more than 64 MiB]\n" : ""),
            "text/plain; charset=utf-8"
        );
    }
}
