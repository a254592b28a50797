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
    public sealed record Answered(string Run, string Agent, string Decision);

    /// <summary>How many cards GET …/decisions would answer.</summary>
    public sealed record Count(int Pending);

    public sealed record DecideRequest(string? Decision, string? Comment, string? ShownHash);

    /// <summary>
    /// A pending decision as the inbox shows it (PendingDecision, with the texts read): what to decide on and, from
    /// round 2, what it was before. The web UI's one shape of a decision (docs/server.md).
    /// </summary>
    public sealed record Card(
        string Run,
        string Chain,
        string Agent,
        int Round,
        int MaxRounds,
        IReadOnlyList<Decision> Options,
        string Shown,
        string ShownHash,
        string? PreviousShown,
        string? LastComment,
        DateTimeOffset Since
    )
    {
        /// <summary>`run` (a decision agent of a run) or `promotion` (Run is then the promotion's id, Agent `promotion`).</summary>
        public string Kind { get; init; } = "run";

        /// <summary>A promotion's card: whether the staged version's tests passed (approving over failures needs an owner's reason).</summary>
        public bool? TestsPassed { get; init; }
    }

    public static void MapDecisions(this IEndpointRouteBuilder app, DataRoot data)
    {
        app.MapGet("/api/workspaces/{ws}/decisions", (string ws) =>
            {
                List<Card> cards = [.. RunViews.PendingIn(RunsRoot(ws)).Select(CardOf)];
                cards.AddRange(PromotionsApi.Cards(data, ws));
                return Results.Ok(cards);
            })
            .Requires(data, Role.Viewer);

        // The inbox badge on every page (polled every 5 s): how many cards, without reading what each shows.
        app.MapGet("/api/workspaces/{ws}/decisions/count", (string ws) =>
                Results.Ok(new Count(RunViews.PendingIn(RunsRoot(ws)).Count() + PromotionsApi.OpenCount(data, ws)))
            )
            .Requires(data, Role.Viewer);

        string RunsRoot(string ws) => Path.Combine(data.WorkspacePath(ws), "runs");

        app.MapPost(
                "/api/workspaces/{ws}/runs/{id}/decisions/{agent}",
                async (string ws, string id, string agent, DecideRequest request, HttpContext http, RunHost host) =>
                {
                    var who = http.Caller().Role.Answerer();
                    Decision decision;
                    try
                    {
                        DecisionRules.RequireAnswerer(who);
                        decision = DecisionRules.Parse(request.Decision);
                        DecisionRules.RequireComment(decision, request.Comment);
                    }
                    catch (DecisionRefusedException e)
                    {
                        return e.Refusal == DecisionRefusal.NotAllowed
                            ? Problems.Forbidden(e.Message)
                            : Problems.BadRequest(e.Message);
                    }
                    if (RunsApi.Find(data, ws, id) is not { } run)
                        return RunsApi.NoRun(id);
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
                        bool handed;
                        try
                        {
                            var answer = DecisionInbox.Prepare(
                                run,
                                agent,
                                decision,
                                comment,
                                http.Caller().Name,
                                who,
                                request.ShownHash,
                                host.ParkedDecisions(ws, id)
                            );
                            // A run this server holds parked gets the answer with the engine that resumes it: no inbox
                            // file to write, take, move and delete (W3S). Any other run — running, or not this host's to
                            // resume — is told through its inbox, as `baton decide` does.
                            handed = host.TryResumeWith(
                                ws,
                                run,
                                Inbox.Handed(answer.Type, agent, answer.Data, inboxFile, DateTimeOffset.UtcNow)
                            );
                            if (!handed)
                            {
                                await DecisionInbox.WriteAsync(run, answer, inboxFile, awaitsVerdict: true);
                                host.Launch(ws, run);
                            }
                        }
                        catch (DecisionRefusedException e)
                        {
                            return Refused(e);
                        }
                        // Acknowledge only what the engine accepted (and made durable): of two reviewers, one wins, the other gets 409.
                        verdict = await DecisionInbox.WaitForVerdictAsync(
                            run,
                            inboxFile,
                            TimeSpan.FromSeconds(30),
                            taken,
                            host.CommitterOf(ws),
                            handed: handed
                        );
                    }
                    if (verdict.Refusal is { } refusal)
                        return Problems.Conflict(refusal);
                    await Task.WhenAll(
                        verdict.Durable,
                        http.AuditAsync(data, ws, $"decision.{decision.Wire()}", $"{id}/{agent}", comment)
                    );
                    return Results.Ok(new Answered(id, agent, decision.Wire()));
                }
            )
            .Requires(data, Role.Viewer); // who may answer is DecisionRules' (Roles.Answerer), checked first
    }

    /// <summary>Which rule refused an answer decides the status: no such agent 404, a bad answer 400, the rest 409.</summary>
    private static IResult Refused(DecisionRefusedException e) =>
        e.Refusal switch
        {
            DecisionRefusal.NoSuchAgent => Problems.NotFound(e.Message),
            DecisionRefusal.NotAllowed => Problems.Forbidden(e.Message),
            DecisionRefusal.MissingComment => Problems.BadRequest(e.Message),
            _ => Problems.Conflict(e.Message),
        };

    /// <summary>A pending decision with its texts read (they are not remembered with it: a paused run costs no memory).</summary>
    private static Card CardOf((RunFolder Run, PendingDecision Decision) pending)
    {
        var (run, p) = pending;
        return new Card(
            p.Run,
            p.Chain,
            p.Agent,
            p.Round,
            p.MaxRounds,
            p.Options,
            p.ReadShown(run),
            p.ShownHash,
            p.ReadPreviousShown(run),
            p.LastComment,
            p.Since
        );
    }
}
