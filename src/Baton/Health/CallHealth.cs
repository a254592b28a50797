using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Baton.Health;

/// <summary>
/// One LLM call as the health report counts it: one line of runs/&lt;id&gt;/calls.jsonl, written by the
/// prompt agent for every call, failed ones included (costs.jsonl has only the answered ones). Small and
/// bodiless, so `baton health` reads weeks of calls without opening calls/NNN.json.
/// </summary>
public sealed record CallHealth(
    DateTimeOffset Time,
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
    public const string FileName = "calls.jsonl";

    public byte[] ToJsonLine()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString(
                "time",
                Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            );
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
            w.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
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
    private static readonly Lock Gate = new();

    public static void Append(string runDir, CallHealth entry)
    {
        var line = entry.ToJsonLine();
        lock (Gate)
        {
            using var stream = new FileStream(
                Path.Combine(runDir, FileName),
                FileMode.Append,
                FileAccess.Write,
                FileShare.ReadWrite
            );
            stream.Write(line);
        }
    }

    /// <summary>The run's calls; a torn last line (a crash mid-write) is skipped.</summary>
    public static IEnumerable<CallHealth> Read(string runDir)
    {
        var path = Path.Combine(runDir, FileName);
        if (!File.Exists(path))
            yield break;
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.Length == 0)
                continue;
            CallHealth? entry = null;
            try
            {
                entry = Parse(line);
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException) { }
            if (entry is not null)
                yield return entry;
        }
    }
}
