using System.Text.Json;
using System.Text.Json.Serialization;
using Baton.Workspaces;

namespace Baton.Server.Promotions;

/// <summary>A staged file in a promotion: its SHA-256 in production (null: new) and staged when it was opened, and the diff.</summary>
public sealed record PromotionFile(string Path, string? ProductionSha256, string StagedSha256, string Diff);

/// <summary>One test case of the staged version, run when the promotion was opened.</summary>
public sealed record PromotionCase(
    string Description,
    bool Passed,
    string? Run,
    string? Status,
    string? Problem,
    IReadOnlyList<string> Failures
);

/// <summary>`baton test` of the staged version. Ran is false when the chain has no case file (then nothing blocks).</summary>
public sealed record PromotionTests(bool Ran, bool Passed, IReadOnlyList<PromotionCase> Cases, string Summary);

/// <summary>One step of a promotion's life, as the audit log has it too.</summary>
public sealed record PromotionStep(
    DateTimeOffset Time,
    string Who,
    string Token,
    string Action,
    string? Comment,
    string? OverrideReason
);

/// <summary>
/// A request to make a chain's staged files production, reviewed by someone who did not stage them.
/// Kept in <c>.baton/promotions/&lt;id&gt;.json</c>; the production files it replaced in
/// <c>.baton/promotions/&lt;id&gt;/previous/</c>, for rollback.
/// </summary>
public sealed record Promotion(
    string Id,
    string Chain,
    string Status,
    DateTimeOffset Opened,
    string OpenedBy,
    IReadOnlyList<string> Authors,
    IReadOnlyList<string> AuthorNames,
    IReadOnlyList<PromotionFile> Files,
    PromotionTests Tests,
    IReadOnlyList<PromotionStep> Steps
)
{
    public const string Open = "open";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string ChangesRequested = "changes-requested";
    public const string Superseded = "superseded";
    public const string RolledBack = "rolled-back";

    /// <summary>Names exactly what a reviewer is shown (the files' hashes and the tests' verdict): an answer to anything else is 409.</summary>
    public string ShownHash =>
        Prompts.Staging.Sha256(
            string.Join("\n", Files.Select(f => $"{f.Path}:{f.ProductionSha256}:{f.StagedSha256}"))
                + $"\ntests:{Tests.Ran}:{Tests.Passed}"
        );

    /// <summary>The card text of the inbox: who staged what, the tests, then every diff.</summary>
    public string Shown() =>
        $"Promote {Chain}: staged by {string.Join(", ", AuthorNames)}\n"
        + $"Tests: {Tests.Summary}\n"
        + string.Concat(
            Tests
                .Cases.Where(c => !c.Passed)
                .Select(c => $"  FAIL {c.Description}: {c.Problem ?? string.Join("; ", c.Failures)}\n")
        )
        + "\n"
        + string.Concat(Files.Select(f => f.Diff));
}

/// <summary>The promotions of one workspace, each a JSON file written atomically through WorkspaceDirectory.</summary>
public sealed class PromotionStore(string root)
{
    public const string Folder = ".baton/promotions";

    public static string NewId(DateTimeOffset now) =>
        $"p{now.UtcDateTime:yyyyMMddHHmmss}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}";

    public static bool IsId(string id) =>
        id.Length == 22 && id[0] == 'p' && id.Skip(1).All(c => char.IsAsciiHexDigitLower(c) || c == '-');

    public Promotion? Find(string id) =>
        IsId(id) && WorkspaceDirectory.ReadText(root, $"{Folder}/{id}.json") is { } text
            ? JsonSerializer.Deserialize(text, PromotionJson.Default.Promotion)
            : null;

    /// <summary>Newest first.</summary>
    public IReadOnlyList<Promotion> All() =>
        [
            .. WorkspaceDirectory
                .Names(root, Folder)
                .Where(n => n.EndsWith(".json", StringComparison.Ordinal) && IsId(n[..^5]))
                .Select(n => Find(n[..^5]))
                .OfType<Promotion>()
                .OrderByDescending(p => p.Opened)
                .ThenByDescending(p => p.Id, StringComparer.Ordinal),
        ];

    public void Save(Promotion promotion) =>
        WorkspaceDirectory.WriteFile(
            root,
            $"{Folder}/{promotion.Id}.json",
            JsonSerializer.SerializeToUtf8Bytes(promotion, PromotionJson.Default.Promotion),
            createParent: true
        );

    /// <summary>Where the production file a promotion replaced is kept.</summary>
    public static string PreviousPath(string id, string path) => $"{Folder}/{id}/previous/{path}";
}

[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never
)]
[JsonSerializable(typeof(Promotion))]
[JsonSerializable(typeof(List<Promotion>))]
internal sealed partial class PromotionJson : JsonSerializerContext;
