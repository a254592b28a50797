using System.Text.Json;

namespace Baton.Costs;

/// <summary>
/// runs/&lt;id&gt;/costs.jsonl: every LLM call of the run, appended as it completes. The agent's
/// done/failed event carries its cost too (durably); this file is the itemised record the cost
/// report reads, so it is flushed but not fsynced per line.
/// </summary>
public static class CostLedger
{
    public const string FileName = "costs.jsonl";

    // Agents of one run finish calls concurrently; one line must never interleave with another.
    private static readonly Lock Gate = new();

    public static string PathFor(string runDir) => Path.Combine(runDir, FileName);

    public static void Append(string runDir, CostEntry entry)
    {
        var line = entry.ToJsonLine();
        // One open(O_APPEND) and one write; a FileStream added an fstat, a seek and its buffer per line.
        lock (Gate)
            Libc.CreateAndWrite(PathFor(runDir), line, append: true).Dispose();
    }

    /// <summary>The run's entries; a torn last line (a crash mid-write) is skipped.</summary>
    public static IReadOnlyList<CostEntry> Read(string runDir)
    {
        var path = PathFor(runDir);
        if (!File.Exists(path))
            return [];
        var entries = new List<CostEntry>();
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.Length == 0)
                continue;
            try
            {
                entries.Add(CostEntry.Parse(System.Text.Encoding.UTF8.GetBytes(line)));
            }
            catch (Exception e) when (e is JsonException or FormatException) { }
        }
        return entries;
    }

    public static decimal TotalUsd(string runDir) => Read(runDir).Sum(e => e.Usd);
}
