using System.Text.Json;
using Baton.Runs;
using Baton.Workspaces;

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
        using var scratch = ScratchJson.Rent(default);
        var line = entry.WriteJsonLine(scratch);
        // One open(O_APPEND) and one write; a FileStream added an fstat, a seek and its buffer per line.
        lock (Gate)
            Libc.CreateAndWrite(PathFor(runDir), line, append: true).Dispose();
    }

    /// <summary>Of a larger ledger only this much is read (≈ a million calls; the torn line at the cut is skipped).</summary>
    private const int MaxBytes = 256 << 20;

    /// <summary>The run's entries; a torn last line (a crash mid-write) is skipped.</summary>
    /// <remarks>
    /// Read below the run folder without following a link (an agent may have put one in its place; root reads it on
    /// a server), as one buffer whose lines are parsed where they lie: a StreamReader, a string per line and two
    /// copies of each were most of the 7 % of a server's CPU the ledger took under W2S (docs/performance.md).
    /// </remarks>
    public static IReadOnlyList<CostEntry> Read(string runDir)
    {
        byte[]? bytes;
        try
        {
            bytes = WorkspaceDirectory.ReadFile(runDir, FileName, MaxBytes);
        }
        catch (Exception e) when (e is UnsafePathException or DirectoryNotFoundException)
        {
            return []; // a link or a FIFO in its place is not the run's ledger (the agents' events still carry their cost)
        }
        if (bytes is null)
            return [];
        var entries = new List<CostEntry>();
        ReadOnlyMemory<byte> rest = bytes.AsMemory(0, Math.Min(bytes.Length, MaxBytes));
        while (!rest.IsEmpty)
        {
            var end = rest.Span.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
            if (line.IsEmpty)
                continue;
            try
            {
                entries.Add(CostEntry.Parse(line));
            }
            catch (Exception e) when (e is JsonException or FormatException) { }
        }
        return entries;
    }

    public static decimal TotalUsd(string runDir) => Read(runDir).Sum(e => e.Usd);
}
