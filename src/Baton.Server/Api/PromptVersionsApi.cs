using Baton.Chains;
using Baton.Prompts;
using Baton.Runs;
using Baton.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baton.Server.Api;

/// <summary>
/// A prompt agent's versions over the API, as `baton prompt log|diff` and `baton mark` give them
/// (docs/prompts.md): the history from the runs' versions.json, the diff served here (DiffPlex).
/// </summary>
public static class PromptVersionsApi
{
    public static void MapPromptVersions(this IEndpointRouteBuilder app, DataRoot data)
    {
        var agents = app.MapGroup("/api/workspaces/{ws}/chains/{name}/agents/{agent}");

        agents
            .MapGet("/versions", (string ws, string name, string agent) =>
            {
                if (CurrentText(data, ws, name, agent, out var problem) is not { } current)
                    return problem!;
                var runsRoot = Path.Combine(data.WorkspacePath(ws), "runs");
                var uses = PromptHistory.Uses(runsRoot, name, agent);
                var json = PromptLog.Json(
                    PromptHistory.Versions(uses),
                    PromptHistory.LastKnownGood(uses)?.Version.Version,
                    current.Version
                );
                return Results.Text(json.ToJsonString(), "application/json");
            })
            .Requires(data, Role.Viewer);

        agents
            .MapGet("/diff", (string ws, string name, string agent, string? against) =>
            {
                if (CurrentText(data, ws, name, agent, out var problem) is not { } current)
                    return problem!;
                var runsRoot = Path.Combine(data.WorkspacePath(ws), "runs");
                try
                {
                    var (run, label) = PromptHistory.Find(runsRoot, name, agent, against ?? PromptHistory.LastGood);
                    var old = PromptHistory.TextOf(run, agent);
                    var diff = PromptDiff.Unified(old, $"{old.Version} ({label})", current, $"{current.Version} (now)");
                    return Results.Text(diff, "text/x-diff; charset=utf-8");
                }
                catch (Exception e) when (e is PromptVersionNotFoundException or RunNotFoundException)
                {
                    return Problems.NotFound(e.Message);
                }
                catch (ArgumentException)
                {
                    return Problems.NotFound($"that run of '{name}' had no prompt agent '{agent}'");
                }
            })
            .Requires(data, Role.Viewer);

        app.MapPut(
                "/api/workspaces/{ws}/runs/{id}/mark",
                async (string ws, string id, MarkRequest request, HttpContext http) =>
                {
                    if (RunsApi.Find(data, ws, id) is not { } run)
                        return RunsApi.NoRun(id);
                    if (request.Verdict is not (RunMark.Bad or RunMark.Good))
                        return Problems.BadRequest($"verdict must be '{RunMark.Bad}' or '{RunMark.Good}'");
                    var status = RunSummary.Load(run).Status;
                    if (!status.IsFinished())
                        return Problems.Conflict($"run {id} is {status.Wire()}; only a finished run can be marked");
                    RunMark.Write(run.Path, new RunMark(request.Verdict, DateTimeOffset.UtcNow, http.Caller().Name));
                    await http.AuditAsync(data, ws, "run.mark", id, request.Verdict);
                    return Results.Ok(new MarkAnswer(id, request.Verdict));
                }
            )
            .Requires(data, Role.Editor);
    }

    public sealed record MarkRequest(string? Verdict);

    public sealed record MarkAnswer(string Id, string Mark);

    /// <summary>The agent's texts in the stored chain as it is now; null with a 404 when there is no such chain or prompt agent.</summary>
    private static PromptText? CurrentText(DataRoot data, string ws, string name, string agent, out IResult? problem)
    {
        problem = null;
        var file = ChainsApi.ChainFile(data, ws, name);
        if (file is null || ChainsApi.ReadChain(data, ws, name) is not { } yaml)
        {
            problem = Problems.NotFound($"no chain '{name}'");
            return null;
        }
        try
        {
            var chain = ChainCache.Load(file, yaml, ChainFiles.Reader(file, data.WorkspacePath(ws)));
            return PromptHistory.TextOf(chain, agent);
        }
        catch (ChainValidationException)
        {
            problem = Problems.Conflict(
                $"chain '{name}' is not valid now; fix it first (GET …/chains lists its errors)"
            );
        }
        catch (ArgumentException e)
        {
            problem = Problems.NotFound(e.Message.Split(" (Parameter", 2)[0]);
        }
        return null;
    }
}
