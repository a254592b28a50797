using Baton.Prompts;
using Baton.Workspaces;

namespace Baton.Server.Promotions;

/// <summary>
/// Makes an approved promotion's staged files production, and puts the previous production back on
/// rollback. Both run under the workspace's staging gate (Staging.Gate), which the API's run start
/// also takes to load a chain: a run sees the promotion's files all old or all new.
/// </summary>
public static class PromotionApply
{
    /// <summary>
    /// Checks that neither staging nor production changed since the promotion was opened, keeps each
    /// production file in .baton/promotions/ID/previous/, then renames each staged file over its
    /// production name (rename(2): never a half-written file). Returns null, or why it cannot be applied.
    /// </summary>
    public static string? Apply(string root, Promotion promotion)
    {
        var staging = new Staging(root);
        foreach (var file in promotion.Files)
        {
            var staged = staging.ReadStaged(file.Path);
            if (staged is null || Staging.Sha256(staged) != file.StagedSha256)
                return $"{file.Path} was staged again (or unstaged) since this promotion was opened: open a new promotion to review what is staged now";
            var production = staging.ReadProduction(file.Path);
            if ((production is null ? null : Staging.Sha256(production)) != file.ProductionSha256)
                return $"production's {file.Path} changed since this promotion was opened (another promotion or a rollback): open a new promotion";
        }
        foreach (var file in promotion.Files)
            if (staging.ReadProduction(file.Path) is { } current)
                WorkspaceDirectory.WriteFile(
                    root,
                    PromotionStore.PreviousPath(promotion.Id, file.Path),
                    System.Text.Encoding.UTF8.GetBytes(current),
                    createParent: true
                );
        // Prompts and case files first, the chain last: the chain is what names the others.
        foreach (var file in promotion.Files.OrderBy(f => f.Path.StartsWith("chains/", StringComparison.Ordinal)))
            WorkspaceDirectory.Move(root, Staging.StagedPath(file.Path), file.Path);
        staging.Forget(promotion.Files.Select(f => f.Path));
        return null;
    }

    /// <summary>Puts back the production files the promotion replaced (files it added are removed).</summary>
    public static IReadOnlyList<string> Rollback(string root, Promotion promotion)
    {
        var restored = new List<string>();
        foreach (
            var file in promotion.Files.OrderByDescending(f => f.Path.StartsWith("chains/", StringComparison.Ordinal))
        )
        {
            if (file.ProductionSha256 is null)
                WorkspaceDirectory.Delete(root, file.Path);
            else
            {
                var previous = WorkspaceDirectory.ReadFile(
                    root,
                    PromotionStore.PreviousPath(promotion.Id, file.Path),
                    Staging.MaxBytes
                )
                    ?? throw new FileNotFoundException(
                        $"the previous {file.Path} of promotion {promotion.Id} is missing"
                    );
                WorkspaceDirectory.WriteFile(root, file.Path, previous, createParent: true);
            }
            restored.Add(file.Path);
        }
        return restored;
    }
}
