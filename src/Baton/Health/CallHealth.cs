using System.Globalization;
using System.Text.Json;
using Baton.Workspaces;

namespace Baton.Health;

/// <summary>
/// One LLM call as the health report counts it: one line of the workspace's
/// .baton/llm-calls/YYYY-MM-DD.jsonl (UTC day), written by the prompt agent for every call, failed ones
/// included (costs.jsonl has only the answered ones). Per workspace and day, not per run, so `baton health`
/// reads a week of calls from eight small files, without walking every run folder or opening call-NNN.json.
/// </summary>
public sealed record CallHealth(
    DateTimeOffset Time,
    string Run,
    string Chain,
    string Agent,
    string Provider,
    string Model,
    string Outcome,
    long DurationMs,
    long? FirstChunkMs,
    long OutputTokens,
    IReadOnlyList<string> Attempts,
    bool CircuitOpened
)
{
    /// <summary>Relative to the workspace: every access goes through WorkspaceDirectory (no link followed).</summary>
    public const string Folder = ".baton/llm-calls";

    private static string DayFile(DateTimeOffset day) =>
        $"{Folder}/{day.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.jsonl";

    public byte[] ToJsonLine() => JsonLines.Write(Time, Fields);

    private void Fields(Utf8JsonWriter w)
    {
        w.WriteString("run", Run);
        w.WriteString("chain", Chain);
        w.WriteString("agent", Agent);
        w.WriteString("provider", Provider);
        w.WriteString("model", Model);
        w.WriteString("outcome", Outcome);
        w.WriteNumber("duration_ms", DurationMs);
        if (FirstChunkMs is { } first)
            w.WriteNumber("first_chunk_ms", first);
        w.WriteNumber("output_tokens", OutputTokens);
        w.WriteStartArray("attempts");
        foreach (var attempt in Attempts)
            w.WriteStringValue(attempt);
        w.WriteEndArray();
        if (CircuitOpened)
            w.WriteBoolean("circuit_opened", true);
    }

    /// <exception cref="JsonException">Not a calls.jsonl line.</exception>
    public static CallHealth Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        string S(string name) =>
            r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        long? L(string name) =>
            r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
        var attempts =
            r.TryGetProperty("attempts", out var a) && a.ValueKind == JsonValueKind.Array
                ? a.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
                : [];
        return new CallHealth(
            DateTimeOffset.Parse(S("time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            S("run"),
            S("chain"),
            S("agent"),
            S("provider"),
            S("model"),
            S("outcome"),
            L("duration_ms") ?? 0,
            L("first_chunk_ms"),
            L("output_tokens") ?? 0,
            attempts,
            r.TryGetProperty("circuit_opened", out var c) && c.ValueKind == JsonValueKind.True
        );
    }

    // Agents of one run finish calls concurrently; one line must never interleave with another.
    /// <exception cref="Runs.UnsafePathException">A link is in the way (a tampered workspace): nothing is written.</exception>
    private static readonly Lock Gate = new();

    public static void Append(string workspaceRoot, CallHealth entry)
    {
        using var scratch = ScratchJson.Rent(default);
        var line = JsonLines.WriteTo(scratch, entry.Time, entry.Fields);
        lock (Gate)
            HeldDayFiles.Append(workspaceRoot, DayFile(entry.Time), line);
    }

    /// <summary>The workspace's calls from <paramref name="since"/> to <paramref name="until"/>; a torn line (a crash mid-write) is skipped.</summary>
    /// <remarks>Each day file is parsed once and then only what was appended (CallHealthCache).</remarks>
    public static IEnumerable<CallHealth> Read(string workspaceRoot, DateTimeOffset since, DateTimeOffset until)
    {
        for (var day = since.UtcDateTime.Date; day <= until.UtcDateTime.Date; day = day.AddDays(1))
        {
            foreach (
                var entry in CallHealthCache.Day(workspaceRoot, DayFile(new DateTimeOffset(day, TimeSpan.Zero)), day)
            )
                if (entry.Time >= since && entry.Time < until)
                    yield return entry;
        }
    }
}
