using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Workspaces;

/// <summary>
/// A workspace's append-only audit log, audit.jsonl: who started, cancelled or decided what, who
/// changed secrets, config or tokens — one JSON line each, appended (O_APPEND, so the server and an
/// admin CLI can write at once) and fsync'd before the action is acknowledged, through the group
/// committer: 1,000 runs started at once share fsync rounds instead of queueing 1,000 fsyncs behind
/// one lock. Never a secret value or a token: names and ids only.
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
        [property: JsonPropertyName("detail")] string? Detail,
        [property: JsonPropertyName("token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
            string? Token = null
    );

    /// <param name="token">The API token's id (never the token) when the action came through the API.</param>
    public static Task AppendAsync(
        string workspaceRoot,
        string who,
        string via,
        string action,
        string target,
        string? detail = null,
        string? token = null
    )
    {
        var line =
            JsonSerializer.Serialize(
                new Entry(DateTimeOffset.UtcNow, who, via, action, target, detail, token),
                AuditJson.Default.Entry
            ) + "\n";
        var path = Path.Combine(workspaceRoot, FileName);
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = Libc.CreateAndWrite(path, Encoding.UTF8.GetBytes(line), append: true, mode: 0b110_000_000);
        }
        catch (IOException e) when (e.HResult == Libc.ELOOP)
        {
            throw new Runs.UnsafePathException(
                $"'{path}' is a symbolic link; the audit log is not written through it (remove the link)"
            );
        }
        return Events.GroupCommitter.Shared.Commit(handle, path, workspaceRoot); // fsyncs and closes it
    }

    /// <summary>The newest entries first.</summary>
    public static IReadOnlyList<Entry> Read(string workspaceRoot, int limit = 200)
    {
        // Below the workspace, never through a link planted in its place.
        using var stream = WorkspaceDirectory.OpenRead(workspaceRoot, FileName);
        if (stream is null)
            return [];
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
            lines.Add(line);
        return
        [
            .. Enumerable
                .Reverse(lines)
                .Take(limit)
                .Select(l =>
                {
                    try
                    {
                        return JsonSerializer.Deserialize(l, AuditJson.Default.Entry);
                    }
                    catch (JsonException)
                    {
                        return null;
                    }
                })
                .OfType<Entry>(),
        ];
    }
}

[JsonSerializable(typeof(AuditLog.Entry))]
internal sealed partial class AuditJson : JsonSerializerContext;
