using Baton.Chains;
using Baton.Events;
using Baton.Prompts;
using Baton.Runs;
using Baton.Server.Auth;
using Baton.Server.Hosting;
using Baton.Server.Promotions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baton.Server.Api;

/// <summary>
/// Review and promotion (docs/prompts.md): what is staged for a chain, promotions of it (opened with
/// the diff and the staged version's test results, decided by someone who did not stage it), and
/// rollback to the production a promotion replaced. Every step is audited.
/// </summary>
public static class PromotionsApi
{
    public sealed record DecideRequest(string? Decision, string? Comment, string? ShownHash, string? OverrideReason);

    public static void MapPromotions(this IEndpointRouteBuilder app, DataRoot data, ServerSettings settings)
    {
        var chains = app.MapGroup("/api/workspaces/{ws}/chains/{name}");

        chains
            .MapGet("/staging", (string ws, string name, RunHost host) =>
            {
                if (!ChainNames.Chain().IsMatch(name))
                    return Problems.NotFound($"no chain '{name}'");
                var root = data.WorkspacePath(ws);
                var (chain, _, errors) = PromotionOpener.LoadStaged(root, name);
                var staging = new Staging(root);
                return Results.Ok(
                    new StagingAnswer(
                        name,
                        host.WorkspaceOf(ws).Config.ReviewRequired,
                        Valid: chain is not null,
                        [.. errors.Select(e => $"{e.Location.Line}:{e.Location.Column}: {e.Message}")],
                        [
                            .. PromotionOpener
                                .StagedFiles(root, name, chain)
                                .Select(f => new StagedFileAnswer(
                                    f.File.Path,
                                    f.Staged.Who,
                                    f.Staged.Time,
                                    IsNew: f.File.ProductionSha256 is null,
                                    f.File.Diff,
                                    staging.ReadProduction(f.File.Path),
                                    staging.ReadStaged(f.File.Path)
                                )),
                        ]
                    )
                );
            })
            .Requires(data, Role.Viewer);

        chains
            .MapGet("/promotions", (string ws, string name) =>
                Results.Ok(
                    new PromotionStore(data.WorkspacePath(ws)).All().Where(p => p.Chain == name).Select(Answer).ToList()
                )
            )
            .Requires(data, Role.Viewer);

        chains
            .MapGet("/promotions/{id}", (string ws, string name, string id) =>
                Find(data, ws, name, id) is { } promotion ? Results.Ok(Answer(promotion)) : NoPromotion(id)
            )
            .Requires(data, Role.Viewer);

        chains
            .MapPost("/promotions", async (string ws, string name, HttpContext http, PromotionOpener opener) =>
            {
                if (!ChainNames.Chain().IsMatch(name))
                    return Problems.NotFound($"no chain '{name}'");
                var caller = http.Caller();
                Promotion promotion;
                try
                {
                    promotion = await opener.OpenAsync(ws, name, caller.Name, caller.TokenId, http.RequestAborted);
                }
                catch (PromotionOpener.Refused e)
                {
                    return Problems.Result(e.Status, "Cannot open a promotion", e.Message);
                }
                var root = data.WorkspacePath(ws);
                var store = new PromotionStore(root);
                var gate = new Staging(root).Gate;
                await gate.WaitAsync();
                try
                {
                    // One open promotion per chain: the newest says what is staged now.
                    foreach (var older in store.All().Where(p => p.Chain == name && p.Status == Promotion.Open))
                        store.Save(
                            older with
                            {
                                Status = Promotion.Superseded,
                                Steps = [.. older.Steps, Step(http, settings, "superseded", promotion.Id, null)],
                            }
                        );
                    store.Save(promotion);
                }
                finally
                {
                    gate.Release();
                }
                await http.AuditAsync(data, ws, "promotion.open", $"{name}/{promotion.Id}", promotion.Tests.Summary);
                return Results.Created(
                    $"/api/workspaces/{ws}/chains/{name}/promotions/{promotion.Id}",
                    Answer(promotion)
                );
            })
            .Requires(data, Role.Editor);

        chains
            .MapPost(
                "/promotions/{id}/decisions",
                async (string ws, string name, string id, DecideRequest request, HttpContext http) =>
                    await DecideAsync(data, settings, ws, name, id, request, http)
            )
            .Requires(data, Role.Reviewer);

        chains
            .MapPost("/rollback", async (string ws, string name, HttpContext http) =>
            {
                var root = data.WorkspacePath(ws);
                var store = new PromotionStore(root);
                var gate = new Staging(root).Gate;
                await gate.WaitAsync();
                Promotion? last;
                IReadOnlyList<string> restored;
                try
                {
                    last = store.All().FirstOrDefault(p => p.Chain == name && p.Status == Promotion.Approved);
                    if (last is null)
                        return Problems.Conflict(
                            $"chain '{name}' has no approved promotion to roll back (one rolled back already is not rolled back twice)"
                        );
                    restored = PromotionApply.Rollback(root, last);
                    store.Save(
                        last with
                        {
                            Status = Promotion.RolledBack,
                            Steps = [.. last.Steps, Step(http, settings, "rollback", null, null)],
                        }
                    );
                }
                finally
                {
                    gate.Release();
                }
                await http.AuditAsync(data, ws, "promotion.rollback", $"{name}/{last.Id}", string.Join(", ", restored));
                return Results.Ok(new RolledBackAnswer(last.Id, restored));
            })
            .Requires(data, Role.Editor);
    }

    private static async Task<IResult> DecideAsync(
        DataRoot data,
        ServerSettings settings,
        string ws,
        string name,
        string id,
        DecideRequest request,
        HttpContext http
    )
    {
        Decision decision;
        try
        {
            decision = DecisionRules.Parse(request.Decision);
            DecisionRules.RequireComment(decision, request.Comment);
        }
        catch (DecisionRefusedException e)
        {
            return Problems.BadRequest(e.Message);
        }
        if (string.IsNullOrEmpty(request.ShownHash))
            return Problems.BadRequest(
                "'shown_hash' is required: send the shown_hash of the promotion you reviewed (GET …/promotions/{id} or the inbox card)"
            );
        var caller = http.Caller();
        var overriding = !string.IsNullOrWhiteSpace(request.OverrideReason);
        var root = data.WorkspacePath(ws);
        var store = new PromotionStore(root);
        var gate = new Staging(root).Gate;
        await gate.WaitAsync();
        Promotion decided;
        try
        {
            if (Find(data, ws, name, id) is not { } promotion)
                return NoPromotion(id);
            if (promotion.Status != Promotion.Open)
                return Problems.Conflict($"promotion {id} is {promotion.Status}, not open");
            if (request.ShownHash != promotion.ShownHash)
                return Problems.Conflict(
                    $"promotion {id} is not what you reviewed (shown_hash differs): read it again (GET …/promotions/{id})"
                );
            if (decision == Decision.Approve)
            {
                if (promotion.Authors.Contains(caller.TokenId))
                    return Problems.Forbidden(
                        $"this token staged or opened promotion {id}: someone else must review it (reject or request changes is allowed)"
                    );
                if (!promotion.Tests.Passed && !overriding)
                    return Problems.Conflict(
                        $"the staged version's tests failed ({promotion.Tests.Summary}): fix them and open a new promotion, or an owner approves with a written override_reason"
                    );
                if (overriding && caller.Role < Role.Owner)
                    return Problems.Forbidden("only an owner may approve over failing tests (override_reason)");
                if (PromotionApply.Apply(root, promotion) is { } stale)
                    return Problems.Conflict(stale);
            }
            var status = decision switch
            {
                Decision.Approve => Promotion.Approved,
                Decision.Reject => Promotion.Rejected,
                _ => Promotion.ChangesRequested,
            };
            decided = promotion with
            {
                Status = status,
                Steps =
                [
                    .. promotion.Steps,
                    Step(http, settings, decision.Wire(), request.Comment, overriding ? request.OverrideReason : null),
                ],
            };
            store.Save(decided);
        }
        finally
        {
            gate.Release();
        }
        var detail =
            overriding && decision == Decision.Approve
                ? $"override over failing tests: {request.OverrideReason}{(request.Comment is { } c ? $"; {c}" : "")}"
                : request.Comment;
        await http.AuditAsync(data, ws, $"promotion.{decision.Wire()}", $"{name}/{id}", detail);
        return Results.Ok(Answer(decided));
    }

    private static PromotionStep Step(
        HttpContext http,
        ServerSettings settings,
        string action,
        string? comment,
        string? reason
    )
    {
        var caller = http.Caller();
        return new PromotionStep(settings.Time.GetUtcNow(), caller.Name, caller.TokenId, action, comment, reason);
    }

    private static Promotion? Find(DataRoot data, string ws, string name, string id) =>
        new PromotionStore(data.WorkspacePath(ws)).Find(id) is { } p && p.Chain == name ? p : null;

    private static IResult NoPromotion(string id) => Problems.NotFound($"no promotion '{id}'");

    /// <summary>The promotion as the API answers it: its record plus shown_hash (and without the token ids of who staged it).</summary>
    private static PromotionAnswer Answer(Promotion p) =>
        new(
            p.Id,
            p.Chain,
            p.Status,
            p.Opened,
            p.OpenedBy,
            p.AuthorNames,
            p.Files,
            p.Tests,
            [.. p.Steps.Select(s => new StepAnswer(s.Time, s.Who, s.Action, s.Comment, s.OverrideReason))],
            p.ShownHash
        );

    public sealed record PromotionAnswer(
        string Id,
        string Chain,
        string Status,
        DateTimeOffset Opened,
        string OpenedBy,
        IReadOnlyList<string> Authors,
        IReadOnlyList<PromotionFile> Files,
        PromotionTests Tests,
        IReadOnlyList<StepAnswer> Steps,
        string ShownHash
    );

    public sealed record StepAnswer(
        DateTimeOffset Time,
        string Who,
        string Action,
        string? Comment,
        string? OverrideReason
    );

    public sealed record StagingAnswer(
        string Chain,
        bool ReviewRequired,
        bool Valid,
        IReadOnlyList<string> Errors,
        IReadOnlyList<StagedFileAnswer> Files
    );

    public sealed record StagedFileAnswer(
        string Path,
        string StagedBy,
        DateTimeOffset Staged,
        bool IsNew,
        string Diff,
        string? ProductionText,
        string? StagedText
    );

    public sealed record RolledBackAnswer(string RolledBack, IReadOnlyList<string> Files);

    /// <summary>None when .baton/ is not a plain folder (a link planted there): the run decisions of the inbox still show.</summary>
    private static IReadOnlyList<Promotion> OpenPromotions(DataRoot data, string ws)
    {
        try
        {
            return new PromotionStore(data.WorkspacePath(ws)).All();
        }
        catch (UnsafePathException)
        {
            return [];
        }
    }

    /// <summary>How many cards Cards would answer, without building their diffs.</summary>
    internal static int OpenCount(DataRoot data, string ws) =>
        OpenPromotions(data, ws).Count(p => p.Status == Promotion.Open);

    /// <summary>Open promotions as decision cards for the inbox (DecisionsApi).</summary>
    internal static IEnumerable<DecisionsApi.Card> Cards(DataRoot data, string ws) =>
        OpenPromotions(data, ws)
            .Where(p => p.Status == Promotion.Open)
            .Select(p => new DecisionsApi.Card(
                p.Id,
                p.Chain,
                "promotion",
                1,
                1,
                [Decision.Approve, Decision.Reject, Decision.Changes],
                p.Shown(),
                p.ShownHash,
                null,
                null,
                p.Opened
            )
            {
                Kind = "promotion",
                TestsPassed = p.Tests.Passed,
            });
}
