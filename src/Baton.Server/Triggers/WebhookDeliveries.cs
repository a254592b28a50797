using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Server.Triggers;

/// <summary>
/// The delivery ids (X-GitHub-Delivery, X-Baton-Delivery) each workspace's webhooks took in the last 24 hours and
/// the run each started, in DATA/server/triggers/&lt;workspace&gt;.deliveries.json (root-only): a replayed
/// delivery answers with its earlier run and starts nothing. One gate per workspace makes "seen?" and
/// "record" one step, so two copies of a delivery arriving together still start one run.
/// </summary>
internal sealed class WebhookDeliveries(DataRoot data, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public sealed record Delivery(
        [property: JsonPropertyName("run")] string Run,
        [property: JsonPropertyName("time")] DateTimeOffset Time
    );

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _gates = new(
        StringComparer.Ordinal
    );

    /// <summary>The earlier run of this delivery, or the one `start` makes (then recorded); start's null is not recorded.</summary>
    public async Task<(string? Run, bool Replayed)> OnceAsync(string workspace, string key, Func<Task<string?>> start)
    {
        var gate = _gates.GetOrAdd(workspace, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try
        {
            var now = clock.GetUtcNow();
            var seen = Read(workspace);
            if (seen.TryGetValue(key, out var earlier) && now - earlier.Time < Window)
                return (earlier.Run, true);
            var run = await start();
            if (run is null)
                return (null, false);
            var kept = seen.Where(d => now - d.Value.Time < Window).ToDictionary(StringComparer.Ordinal);
            kept[key] = new Delivery(run, now);
            Write(workspace, kept);
            return (run, false);
        }
        finally
        {
            gate.Release();
        }
    }

    private string PathOf(string workspace) =>
        Path.Combine(data.ServerPath, "triggers", $"{workspace}.deliveries.json");

    private Dictionary<string, Delivery> Read(string workspace)
    {
        try
        {
            return File.Exists(PathOf(workspace))
                ? JsonSerializer.Deserialize(
                    File.ReadAllText(PathOf(workspace)),
                    DeliveriesJson.Default.DictionaryStringDelivery
                ) ?? []
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private void Write(string workspace, Dictionary<string, Delivery> deliveries)
    {
        var path = PathOf(workspace);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var file = new FileStream(path + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, deliveries, DeliveriesJson.Default.DictionaryStringDelivery);
            file.Flush(flushToDisk: true);
        }
        File.Move(path + ".tmp", path, overwrite: true);
    }
}

[JsonSerializable(typeof(Dictionary<string, WebhookDeliveries.Delivery>))]
internal sealed partial class DeliveriesJson : JsonSerializerContext;
