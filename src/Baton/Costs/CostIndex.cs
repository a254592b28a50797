using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Baton.Runs;

namespace Baton.Costs;

/// <summary>One run's calls summed per (chain, agent, model, day).</summary>
internal sealed record CostGroup(
    string Chain,
    string Agent,
    string Model,
    string Day,
    int Calls,
    long InputTokens,
    long OutputTokens,
    long CachedInputTokens,
    long ReasoningTokens,
    decimal Usd,
    int EstimatedCalls
);

/// <summary>
/// runs/.costs-index.json: each run's CostGroups, keyed by run id and stamped with the size and
/// modification time of the costs.jsonl they came from. A run whose ledger changed (or is new) is
/// re-read; a run folder that is gone drops out. It is only a cache: delete it and the next query
/// rebuilds it from the run folders.
/// </summary>
internal static class CostIndex
{
    public const string FileName = ".costs-index.json";
    private const int Version = 1;

    private sealed record Entry(long Size, long Modified, List<CostGroup> Groups);

    public static List<CostGroup> Load(string runsRoot)
    {
        // runs/ planted as a link (RunFolder.Exists) has no runs here, and its index is not read or rewritten.
        if (Libc.KindOf(runsRoot) != Libc.EntryKind.Directory)
            return [];
        var indexPath = Path.Combine(runsRoot, FileName);
        var cached = Read(indexPath);
        var current = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var changed = false;
        foreach (var run in RunFolder.All(runsRoot))
        {
            var ledger = new FileInfo(CostLedger.PathFor(run.Path));
            if (!ledger.Exists)
            {
                changed |= cached.ContainsKey(run.Id);
                continue;
            }
            var modified = ledger.LastWriteTimeUtc.Ticks;
            if (cached.TryGetValue(run.Id, out var entry) && entry.Size == ledger.Length && entry.Modified == modified)
            {
                current[run.Id] = entry;
                continue;
            }
            current[run.Id] = new Entry(ledger.Length, modified, Summarise(CostLedger.Read(run.Path)));
            changed = true;
        }
        changed |= cached.Keys.Any(id => !current.ContainsKey(id));
        if (changed && Directory.Exists(runsRoot))
            TryWrite(indexPath, current);
        return [.. current.Values.SelectMany(e => e.Groups)];
    }

    private static List<CostGroup> Summarise(IReadOnlyList<CostEntry> entries) =>
        [
            .. entries
                .GroupBy(e =>
                    (
                        e.Chain,
                        e.Agent,
                        e.Model,
                        Day: e.Time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                    )
                )
                .Select(g => new CostGroup(
                    g.Key.Chain,
                    g.Key.Agent,
                    g.Key.Model,
                    g.Key.Day,
                    g.Count(),
                    g.Sum(e => e.Usage.InputTokens),
                    g.Sum(e => e.Usage.OutputTokens),
                    g.Sum(e => e.Usage.CachedInputTokens),
                    g.Sum(e => e.Usage.ReasoningTokens),
                    g.Sum(e => e.Usd),
                    g.Count(e => e.Usage.Estimated)
                )),
        ];

    private static Dictionary<string, Entry> Read(string path)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        if (!File.Exists(path))
            return entries;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.GetProperty("version").GetInt32() != Version)
                return entries;
            foreach (var run in doc.RootElement.GetProperty("runs").EnumerateObject())
            {
                var groups = run
                    .Value.GetProperty("groups")
                    .EnumerateArray()
                    .Select(g => new CostGroup(
                        g[0].GetString()!,
                        g[1].GetString()!,
                        g[2].GetString()!,
                        g[3].GetString()!,
                        g[4].GetInt32(),
                        g[5].GetInt64(),
                        g[6].GetInt64(),
                        g[7].GetInt64(),
                        g[8].GetInt64(),
                        g[9].GetDecimal(),
                        g[10].GetInt32()
                    ))
                    .ToList();
                entries[run.Name] = new Entry(
                    run.Value.GetProperty("size").GetInt64(),
                    run.Value.GetProperty("modified").GetInt64(),
                    groups
                );
            }
        }
        catch (Exception e)
            when (e
                    is JsonException
                        or KeyNotFoundException
                        or InvalidOperationException
                        or IndexOutOfRangeException
                        or IOException
            )
        {
            entries.Clear(); // a damaged cache is rebuilt, never trusted
        }
        return entries;
    }

    private static void TryWrite(string path, Dictionary<string, Entry> entries)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("version", Version);
            w.WriteStartObject("runs");
            foreach (var (id, entry) in entries)
            {
                w.WriteStartObject(id);
                w.WriteNumber("size", entry.Size);
                w.WriteNumber("modified", entry.Modified);
                w.WriteStartArray("groups");
                foreach (var g in entry.Groups)
                {
                    w.WriteStartArray();
                    w.WriteStringValue(g.Chain);
                    w.WriteStringValue(g.Agent);
                    w.WriteStringValue(g.Model);
                    w.WriteStringValue(g.Day);
                    w.WriteNumberValue(g.Calls);
                    w.WriteNumberValue(g.InputTokens);
                    w.WriteNumberValue(g.OutputTokens);
                    w.WriteNumberValue(g.CachedInputTokens);
                    w.WriteNumberValue(g.ReasoningTokens);
                    w.WriteNumberValue(g.Usd);
                    w.WriteNumberValue(g.EstimatedCalls);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            File.WriteAllBytes(temp, buffer.WrittenSpan.ToArray());
            File.Move(temp, path, overwrite: true); // readers see the old index or the new one, never half
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only runs folder still gets its report, just without the cache.
            try
            {
                File.Delete(temp);
            }
            catch (IOException) { }
        }
    }
}
