using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Server.Triggers;

/// <summary>
/// What the server's triggers remember per workspace — each schedule's last firing — in
/// DATA/server/triggers/&lt;workspace&gt;.json: server-side (root-only), so a tenant can neither read nor reset
/// it. Written (temp file, fsync, rename) before the run of a firing is created, so a firing never starts two
/// runs; a crash between the two loses that one firing instead (at most once, documented in docs/server.md).
/// </summary>
/// <param name="folder">Below DATA/server/: `triggers`, or `canaries` for the canary schedule's own memory (one writer per file).</param>
internal sealed class TriggerState(DataRoot data, string folder = "triggers")
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> _cache = new(StringComparer.Ordinal);

    private string Folder => Path.Combine(data.ServerPath, folder);

    public DateTimeOffset? LastFiring(string workspace, string key)
    {
        lock (_gate)
            return Of(workspace).TryGetValue(key, out var last) ? last : null;
    }

    public void SetLastFiring(string workspace, string key, DateTimeOffset firing)
    {
        lock (_gate)
        {
            var firings = Of(workspace);
            firings[key] = firing;
            Directory.CreateDirectory(Folder);
            var path = Path.Combine(Folder, $"{workspace}.json");
            var temp = path + ".tmp";
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(file, firings, TriggerStateJson.Default.DictionaryStringDateTimeOffset);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
    }

    private Dictionary<string, DateTimeOffset> Of(string workspace)
    {
        if (_cache.TryGetValue(workspace, out var firings))
            return firings;
        var path = Path.Combine(Folder, $"{workspace}.json");
        try
        {
            firings = File.Exists(path)
                ? JsonSerializer.Deserialize(
                    File.ReadAllText(path),
                    TriggerStateJson.Default.DictionaryStringDateTimeOffset
                )
                : null;
        }
        catch (JsonException)
        {
            firings = null; // damaged: schedules start afresh from now (no catch-up), never twice for one firing
        }
        return _cache[workspace] = firings ?? new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
    }
}

[JsonSerializable(typeof(Dictionary<string, DateTimeOffset>))]
internal sealed partial class TriggerStateJson : JsonSerializerContext;
