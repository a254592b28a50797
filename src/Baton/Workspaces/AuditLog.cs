using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Workspaces;

/// <summary>
/// A workspace's append-only audit log, audit.jsonl: who started, cancelled or decided what, who
/// changed secrets, config or tokens — one JSON line each, appended (O_APPEND) and fsync'd before
/// the action is acknowledged. Never a secret value or a token: names and ids only.
/// </summary>
public static class AuditLog
{
    public const string FileName = "audit.jsonl";

    public sealed record Entry(
        [property: JsonPropertyName("time")] DateTimeOffset Time,
        [property: JsonPropertyName("who")] string Who,
        [property: JsonPropertyName("via")] string Via,
        [property: JsonPropertyName("action")] string Action,
        [property: JsonPropertyName("target")] string Target,
        [property: JsonPropertyName("detail")] string? Detail);

    private static readonly Lock Gate = new();

    public static void Append(string workspaceRoot, string who, string via, string action, string target, string? detail = null)
    {
        var line = JsonSerializer.Serialize(new Entry(DateTimeOffset.UtcNow, who, via, action, target, detail), AuditJson.Default.Entry) + "\n";
        var path = Path.Combine(workspaceRoot, FileName);
        lock (Gate)
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
            stream.Write(Encoding.UTF8.GetBytes(line));
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>The newest entries first.</summary>
    public static IReadOnlyList<Entry> Read(string workspaceRoot, int limit = 200)
    {
        var path = Path.Combine(workspaceRoot, FileName);
        if (!File.Exists(path)) return [];
        return [.. File.ReadLines(path).Reverse().Take(limit)
            .Select(l => { try { return JsonSerializer.Deserialize(l, AuditJson.Default.Entry); } catch (JsonException) { return null; } })
            .OfType<Entry>()];
    }
}

[JsonSerializable(typeof(AuditLog.Entry))]
internal sealed partial class AuditJson : JsonSerializerContext;
