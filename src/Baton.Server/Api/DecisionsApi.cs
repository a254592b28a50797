using Baton.Events;
using Baton.Runs;
using Baton.Server.Auth;
using Baton.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baton.Server.Api;

public static class DecisionsApi
{
    public sealed record DecideRequest(string? Decision, string? Comment, string? ShownHash);

    /// <summary>A pending decision as the inbox shows it: what to decide on and, from round 2, what it was before.</summary>
    public sealed record Card(
        string Run,
        string Chain,
        string Agent,
        int Round,
        int MaxRounds,
        IReadOnlyList<string> Options,
        string Shown,
        string ShownHash,
        string? PreviousShown,
        string? LastComment,
        DateTimeOffset Since
    );

    public static void MapDecisions(this IEndpointRouteBuilder app, DataRoot data)
    {
        app.MapGet("/api/workspaces/{ws}/decisions", (string ws) =>
            {
                var cards = new List<Card>();
                foreach (var run in RunFolder.All(Path.Combine(data.WorkspacePath(ws), "runs")))
                    cards.AddRange(CardsOf(run));
                return Results.Ok(cards);
            })
            .Requires(data, Role.Viewer);

        app.MapPost(
                "/api/workspaces/{ws}/runs/{id}/decisions/{agent}",
                async (string ws, string id, string agent, DecideRequest request, HttpContext http, RunHost host) =>
                {
                    if (RunsApi.Find(data, ws, id) is not { } run)
                        return RunsApi.NoRun(id);
                    if (request.Decision is not ("approve" or "reject" or "changes"))
                        return Problems.BadRequest("'decision' must be approve, reject or changes");
                    if (request.Decision == "changes" && string.IsNullOrWhiteSpace(request.Comment))
                        return Problems.BadRequest(
                            "'changes' needs a comment: it is the feedback the agent re-runs with"
                        );
                    // What the reviewer saw: without it a script could approve whatever is waiting now, unseen.
                    if (string.IsNullOrEmpty(request.ShownHash))
                        return Problems.BadRequest(
                            "'shown_hash' is required: send the shown_hash of the card you decided on (GET /api/workspaces/{ws}/decisions); a stale one answers 409"
                        );
                    var comment = DecisionInbox.MaskComment(host.WorkspaceOf(ws), request.Comment);
                    // Listen for the engine's word before the file exists: a parked run's watch may take it at once.
                    var inboxFile = DecisionInbox.InboxFileName(agent);
                    var (taken, registration) = host.WhenTaken(id, inboxFile);
                    DecisionInbox.Verdict verdict;
                    using (registration)
                    {
                        try
                        {
                            await DecisionInbox.SubmitAsync(
                                run,
                                agent,
                                request.Decision,
                                comment,
                                http.Caller().Name,
                                request.ShownHash,
                                inboxFile
                            );
                        }
                        catch (DecisionRefusedException e)
                        {
                            return e.Message.Contains("has no agent", StringComparison.Ordinal)
                                ? Problems.NotFound(e.Message)
                                : Problems.Conflict(e.Message);
                        }
                        host.Launch(ws, run);
                        // Acknowledge only what the engine accepted (and made durable): of two reviewers, one wins, the other gets 409.
                        verdict = await DecisionInbox.WaitForVerdictAsync(
                            run,
                            inboxFile,
                            TimeSpan.FromSeconds(30),
                            taken
                        );
                    }
                    if (verdict.Refusal is { } refusal)
                        return Problems.Conflict(refusal);
                    await Task.WhenAll(
                        verdict.Durable,
                        http.AuditAsync(data, ws, $"decision.{request.Decision}", $"{id}/{agent}", comment)
                    );
                    return Results.Ok(
                        new
                        {
                            run = id,
                            agent,
                            decision = request.Decision,
                        }
                    );
                }
            )
            .Requires(data, Role.Reviewer);
    }

    private static IEnumerable<Card> CardsOf(RunFolder run)
    {
        // Most of a workspace's history is finished runs: remembered once seen (the inbox polls every few seconds).
        if (RunSummary.IsKnownFinished(run))
            yield break;
        if (EventReader.ReadLast(run.Events) is { Type: EventTypes.RunFinished })
        {
            RunSummary.LoadRemembered(run);
            yield break;
        }
        var events = EventReader.ReadAll(run.Events);
        var state = RunState.Fold(events);
        if (state.Status != RunStatus.Waiting)
            yield break;
        foreach (var agent in state.Agents.Values.Where(a => a.Status == AgentStatus.Waiting && a.Decision is null))
        {
            var waits = events.Where(e => e.Type == EventTypes.For(agent.Name, EventTypes.Waiting)).ToList();
            var waiting = waits[^1];
            var options = DecisionInbox.OfferedOptions(waiting);
            var shown = File.ReadAllText(Path.Combine(run.Path, waiting.GetString("shown") ?? ""));
            var previousFile = Path.Combine(
                run.AgentDir(agent.Name),
                "attempts",
                (agent.Attempt - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "shown.md"
            );
            var lastComment = events
                .LastOrDefault(e => e.Type == EventTypes.For(agent.Name, EventTypes.Decided))
                ?.GetString("comment");
            yield return new Card(
                run.Id,
                state.Chain ?? "",
                agent.Name,
                agent.Attempt,
                (int)(waiting.GetInt64("max_rounds") ?? 1),
                options,
                shown,
                agent.ShownHash ?? "",
                File.Exists(previousFile) ? File.ReadAllText(previousFile) : null,
                lastComment,
                waiting.Time
            );
        }
    }
}
