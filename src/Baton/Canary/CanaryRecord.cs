using System.Text.Json;
using System.Text.Json.Serialization;
using Baton.Workspaces;

namespace Baton.Canary;

/// <summary>One test case's result in one canary: its assertions and the chain's final output (capped).</summary>
public sealed record CanaryCase(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("run")] string? Run,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("passed")] int Passed,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("output")] string Output
)
{
    /// <summary>Assertions held over all; a case without assertions counts its run's success.</summary>
    [JsonIgnore]
    public double PassRate =>
        Total > 0 ? (double)Passed / Total
        : Status == "succeeded" ? 1
        : 0;
}

/// <summary>
/// One canary of a chain: a line of .baton/canary/&lt;chain&gt;.jsonl (read and appended through
/// WorkspaceDirectory, never through a link). PromptSha256 is the chain's prompts as written (CanaryRunner.PromptHash).
/// </summary>
public sealed record CanaryRecord(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("prompt_sha256")] string PromptSha256,
    [property: JsonPropertyName("cases")] IReadOnlyList<CanaryCase> Cases
)
{
    /// <summary>Outputs are kept to this many characters: enough to compare and to show, not a copy of every run.</summary>
    public const int MaxOutput = 8000;

    public const string Folder = ".baton/canary";

    private static string File(string chain) => $"{Folder}/{chain}.jsonl";

    private static string PinFile(string chain) => $"{Folder}/{chain}.pin";

    private static readonly Lock Gate = new();

    public static void Append(string workspaceRoot, string chain, CanaryRecord record)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(record, CanaryJson.Default.CanaryRecord);
        lock (Gate)
            WorkspaceDirectory.Append(
                workspaceRoot,
                File(chain),
                [.. line, (byte)'\n'],
                fsync: true,
                createParent: true
            );
    }

    /// <summary>Every canary of the chain, oldest first; a torn line is skipped.</summary>
    public static List<CanaryRecord> ReadAll(string workspaceRoot, string chain)
    {
        var records = new List<CanaryRecord>();
        foreach (var line in WorkspaceDirectory.ReadLines(workspaceRoot, File(chain)))
        {
            if (line.Length == 0)
                continue;
            try
            {
                if (JsonSerializer.Deserialize(line, CanaryJson.Default.CanaryRecord) is { } record)
                    records.Add(record);
            }
            catch (JsonException) { }
        }
        return records;
    }

    /// <summary>The canary an owner pinned as the baseline (`baton canary CHAIN --pin`), if any.</summary>
    public static string? Pinned(string workspaceRoot, string chain) =>
        WorkspaceDirectory.ReadText(workspaceRoot, PinFile(chain), maxBytes: 200)?.Trim() is { Length: > 0 } id
            ? id
            : null;

    public static void Pin(string workspaceRoot, string chain, string id) =>
        WorkspaceDirectory.WriteFile(
            workspaceRoot,
            PinFile(chain),
            System.Text.Encoding.UTF8.GetBytes(id + "\n"),
            createParent: true
        );
}

[JsonSerializable(typeof(CanaryRecord))]
internal sealed partial class CanaryJson : JsonSerializerContext;
