using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Baton.Costs;
using Baton.Workspaces;

namespace Baton.Monitoring;

/// <summary>One agent's share of a run's LLM cost.</summary>
public sealed record AgentCost(
    string Agent,
    double Usd,
    long InputTokens,
    long OutputTokens,
    int Retries,
    string Model
);

/// <summary>
/// What one finished run cost, per agent: a line of the workspace's .baton/cost-history/&lt;chain&gt;.jsonl,
/// appended when the run ends (from its costs.jsonl). The chain's baseline and trend are read from it,
/// so a cost alert needs no walk over every run folder.
/// </summary>
public sealed record RunCost(DateTimeOffset Time, string Run, string Status, IReadOnlyList<AgentCost> Agents)
{
    public double Usd => Agents.Sum(a => a.Usd);
    public long InputTokens => Agents.Sum(a => a.InputTokens);
    public long OutputTokens => Agents.Sum(a => a.OutputTokens);
    public int Retries => Agents.Sum(a => a.Retries);

    /// <summary>The run's quality score (its checks, 0–1), when it has checks.</summary>
    public double? Quality { get; init; }

    public static RunCost FromLedger(
        DateTimeOffset time,
        string run,
        string status,
        IReadOnlyList<CostEntry> entries
    ) =>
        new(
            time,
            run,
            status,
            [
                .. entries
                    .GroupBy(e => e.Agent, StringComparer.Ordinal)
                    .OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new AgentCost(
                        g.Key,
                        (double)g.Sum(e => e.Usd),
                        g.Sum(e => e.Usage.InputTokens),
                        g.Sum(e => e.Usage.OutputTokens),
                        g.Max(e => e.Attempt) - 1,
                        g.Last().Model
                    )),
            ]
        );

    /// <summary>Relative to the workspace: read and written through WorkspaceDirectory, never through a link.</summary>
    public const string Folder = ".baton/cost-history";

    public static string Relative(string chain) => $"{Folder}/{chain}.jsonl";

    public static string PathFor(string workspaceRoot, string chain) => Path.Combine(workspaceRoot, Relative(chain));

    private static readonly Lock Gate = new();

    public static void Append(string workspaceRoot, string chain, RunCost cost)
    {
        var line = Line(cost);
        lock (Gate)
            WorkspaceDirectory.Append(workspaceRoot, Relative(chain), line, createParent: true);
    }

    /// <summary>
    /// Appends a finished run's cost to its chain's history and returns the history before it (History, then Append)
    /// through one open file: the line just written is kept as it was written, not read back and parsed by the next
    /// run's look, unless something else (another process's run) appended meanwhile. History and Append opened the
    /// file twice, and each finished run parsed the line the one before it wrote (W2S, docs/performance.md).
    /// </summary>
    public static IReadOnlyList<RunCost> Record(string workspaceRoot, string chain, RunCost cost)
    {
        var path = PathFor(workspaceRoot, chain);
        var line = Line(cost);
        // Opened before the lock: 1,000 runs ending together queue on it, and only the look and the write need it.
        using var handle = WorkspaceDirectory.OpenAppend(workspaceRoot, Relative(chain), createParent: true);
        lock (Gate)
        {
            var length = RandomAccess.GetLength(handle);
            if (!Read.TryGetValue(path, out var known) || length < known.Length)
                known = new ReadFile(0, []);
            if (length > known.Length) // the first look, or another writer's lines: read as History does
            {
                using var stream = WorkspaceDirectory.OpenRead(workspaceRoot, Relative(chain), bufferSize: 0);
                if (stream is not null)
                    known = ReadFrom(stream, known);
            }
            RandomAccess.Write(handle, line, fileOffset: 0); // O_APPEND: at the end
            // Ours is the next line only when everything before it was read whole and nothing came in between.
            Read[path] =
                known.Length == length && RandomAccess.GetLength(handle) == length + line.Length
                    ? new ReadFile(length + line.Length, Trim(known.Runs.Add(AsWritten(cost))))
                    : known;
            return known.Runs;
        }
    }

    /// <summary>The cost as a reader of its line gets it back (the time to the millisecond, the quality rounded).</summary>
    private static RunCost AsWritten(RunCost cost) =>
        cost with
        {
            Time = DateTimeOffset.FromUnixTimeMilliseconds(cost.Time.ToUnixTimeMilliseconds()),
            Quality = cost.Quality is { } quality ? Math.Round(quality, 4) : null,
        };

    private static byte[] Line(RunCost cost) => JsonLines.Write(cost.Time, w =>
        {
            w.WriteString("run", cost.Run);
            w.WriteString("status", cost.Status);
            if (cost.Quality is { } quality)
                w.WriteNumber("quality", Math.Round(quality, 4));
            w.WriteStartArray("agents");
            foreach (var a in cost.Agents)
            {
                w.WriteStartObject();
                w.WriteString("agent", a.Agent);
                w.WriteNumber("usd", a.Usd);
                w.WriteNumber("input_tokens", a.InputTokens);
                w.WriteNumber("output_tokens", a.OutputTokens);
                w.WriteNumber("retries", a.Retries);
                w.WriteString("model", a.Model);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });

    /// <summary>The chain's finished runs, oldest first; a torn line is skipped.</summary>
    /// <remarks>
    /// Every finished run reads its chain's history, so a server finishing 1,000 runs of one chain would
    /// parse the growing file a million lines' worth. The file is append-only: what was read is kept per file
    /// (with its length) and only the lines added since are parsed; a file that shrank is read again. What is
    /// kept is bounded to what the drift checks look at (the last <see cref="KeptRuns"/> runs and the
    /// <see cref="KeptDays"/> days before the newest). It is an immutable list, returned as it is: copying
    /// the kept runs for every finished run was most of a server's monitoring CPU under W2S (docs/performance.md).
    /// </remarks>
    public static IReadOnlyList<RunCost> History(string workspaceRoot, string chain)
    {
        var path = PathFor(workspaceRoot, chain);
        lock (Gate)
        {
            using var stream = WorkspaceDirectory.OpenRead(workspaceRoot, Relative(chain), bufferSize: 0);
            if (stream is null)
            {
                Read.Remove(path);
                return [];
            }
            if (!Read.TryGetValue(path, out var known) || stream.Length < known.Length)
                known = new ReadFile(0, []);
            if (stream.Length > known.Length)
                known = ReadFrom(stream, known);
            Read[path] = known;
            return known.Runs;
        }
    }

    public const int KeptRuns = 200;
    public const int KeptDays = 15;

    /// <summary>What was read of one history file. A class, not a value tuple: a Dictionary over a value type is
    /// compiled by the JIT in every process that ends an LLM run; one over a class is precompiled shared code.</summary>
    private sealed record ReadFile(long Length, ImmutableList<RunCost> Runs);

    private static readonly Dictionary<string, ReadFile> Read = new(StringComparer.Ordinal);

    private static ReadFile ReadFrom(Stream stream, ReadFile known)
    {
        var parsed = new List<RunCost>(); // the kept list changes only once the read succeeded
        var lines = JsonLines.CompleteLinesAfter(stream, known.Length, out var end);
        foreach (var line in lines)
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                var r = doc.RootElement;
                parsed.Add(
                    new RunCost(
                        DateTimeOffset.Parse(
                            r.GetProperty("time").GetString()!,
                            CultureInfo.InvariantCulture,
                            DateTimeStyles.AssumeUniversal
                        ),
                        r.GetProperty("run").GetString()!,
                        r.GetProperty("status").GetString()!,
                        [
                            .. r.GetProperty("agents")
                                .EnumerateArray()
                                .Select(a => new AgentCost(
                                    a.GetProperty("agent").GetString()!,
                                    a.GetProperty("usd").GetDouble(),
                                    a.GetProperty("input_tokens").GetInt64(),
                                    a.GetProperty("output_tokens").GetInt64(),
                                    a.GetProperty("retries").GetInt32(),
                                    a.GetProperty("model").GetString()!
                                )),
                        ]
                    )
                    {
                        Quality =
                            r.TryGetProperty("quality", out var q) && q.ValueKind == JsonValueKind.Number
                                ? q.GetDouble()
                                : null,
                    }
                );
            }
            catch (Exception e)
                when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException) { }
        }
        return new ReadFile(end, Trim(known.Runs.AddRange(parsed)));
    }

    /// <summary>The oldest beyond the last KeptRuns that are also older than KeptDays before the newest are dropped.</summary>
    private static ImmutableList<RunCost> Trim(ImmutableList<RunCost> runs)
    {
        if (runs.Count <= KeptRuns)
            return runs;
        var since = runs[^1].Time.AddDays(-KeptDays);
        var dropped = 0;
        while (dropped < runs.Count - KeptRuns && runs[dropped].Time < since)
            dropped++;
        return runs.RemoveRange(0, dropped);
    }
}
