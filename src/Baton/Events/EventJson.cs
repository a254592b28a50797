using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Baton.Events;

/// <summary>Reads and writes the event file format: {"seq","type","agent","attempt","time","data"}.</summary>
public static class EventJson
{
    /// <summary>
    /// One writer and buffer per thread for each shape, reset for every use: a hand-off writes a few events and
    /// builds their data, and new writers and buffers each time were a fifth of what a run allocated (W2).
    /// </summary>
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_indented,
        t_compact;

    /// <summary>
    /// Event files are read by people (`cat events/*`): an apostrophe or a non-ASCII letter stays as it
    /// is, not \u0027. They are files and JSON API answers, never embedded in an HTML page.
    /// </summary>
    private static readonly System.Text.Encodings.Web.JavaScriptEncoder Readable = System
        .Text
        .Encodings
        .Web
        .JavaScriptEncoder
        .UnsafeRelaxedJsonEscaping;

    private static Utf8JsonWriter Writer(
        ref (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? slot,
        bool indented,
        out ArrayBufferWriter<byte> buffer
    )
    {
        if (slot is not { } reused)
        {
            var fresh = new ArrayBufferWriter<byte>(512);
            slot = reused = (
                fresh,
                new Utf8JsonWriter(fresh, new JsonWriterOptions { Indented = indented, Encoder = Readable })
            );
        }
        reused.Buffer.ResetWrittenCount();
        reused.Writer.Reset(reused.Buffer);
        buffer = reused.Buffer;
        return reused.Writer;
    }

    /// <summary>The event file's bytes: indented, one trailing newline.</summary>
    public static byte[] Serialize(RunEvent e)
    {
        var w = Writer(ref t_indented, indented: true, out var buffer);
        Write(w, e);
        w.Flush();
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The event on one line (`baton events --json`, a server-sent event's data).</summary>
    public static string ToLine(RunEvent e)
    {
        var w = Writer(ref t_compact, indented: false, out var buffer);
        Write(w, e);
        w.Flush();
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The API's event shape on one line (a server-sent event's data): the file's fields plus what the record says —
    /// kind, tone, text, message (EventView; docs/events.md, "The API's event shape").
    /// </summary>
    public static string ToApiLine(RunEvent e)
    {
        var w = Writer(ref t_compact, indented: false, out var buffer);
        Write(w, e, api: true);
        w.Flush();
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The events in the API's shape, as one JSON array (`GET …/events`).</summary>
    public static string ToApiArray(IEnumerable<RunEvent> events) => ToArray(events, api: true);

    /// <summary>The events as one JSON array, written as their files are.</summary>
    public static string ToArray(IEnumerable<RunEvent> events) => ToArray(events, api: false);

    private static string ToArray(IEnumerable<RunEvent> events, bool api)
    {
        // Its own buffer: a long history's array would otherwise stay allocated behind a thread's reused writer.
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Readable }))
        {
            w.WriteStartArray();
            foreach (var e in events)
                Write(w, e, api);
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the event as its JSON object; with <paramref name="api"/>, the API's fields after the file's.</summary>
    private static void Write(Utf8JsonWriter w, RunEvent e, bool api = false)
    {
        w.WriteStartObject();
        w.WriteNumber("seq", e.Seq);
        w.WriteString("type", e.Type);
        if (e.Agent is null)
            w.WriteNull("agent");
        else
            w.WriteString("agent", e.Agent);
        w.WriteNumber("attempt", e.Attempt);
        Span<char> time = stackalloc char[32];
        e.Time.UtcDateTime.TryFormat(
            time,
            out var length,
            "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'",
            CultureInfo.InvariantCulture
        );
        w.WriteString("time", time[..length]);
        if (e.Source is not null)
            w.WriteString("source", e.Source);
        w.WritePropertyName("data");
        e.WriteData(w);
        if (api)
        {
            w.WriteString("kind", EventView.Kind(e));
            w.WriteString("tone", EventView.Tone(e));
            // Always there (null when there is nothing to say): one shape for every event.
            w.WriteString("text", EventView.Text(e));
            w.WriteString("message", EventView.Message(e));
        }
        w.WriteEndObject();
    }

    /// <exception cref="JsonException">The bytes are not a complete event.</exception>
    public static RunEvent Deserialize(ReadOnlySpan<byte> utf8)
    {
        using var doc = JsonDocument.Parse(utf8.ToArray());
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new JsonException("an event must be a JSON object");
        var seq = Required(root, "seq").GetInt64();
        var type = Required(root, "type").GetString() ?? throw new JsonException("'type' is null");
        var agent =
            root.TryGetProperty("agent", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        var attempt =
            root.TryGetProperty("attempt", out var at) && at.ValueKind == JsonValueKind.Number ? at.GetInt32() : 0;
        var time = DateTimeOffset.Parse(
            Required(root, "time").GetString()!,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal
        );
        JsonElement? data = root.TryGetProperty("data", out var d) ? d.Clone() : null;
        var source =
            root.TryGetProperty("source", out var src) && src.ValueKind == JsonValueKind.String
                ? src.GetString()
                : null;
        return new RunEvent(seq, type, agent, attempt, time, data) { Source = source };
    }

    private static JsonElement Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) ? v : throw new JsonException($"missing '{name}'");

    /// <summary>An empty data object (`{}`).</summary>
    public static readonly JsonElement EmptyObject = JsonElement.Parse("{}"u8);

    /// <summary>A data object whose properties <paramref name="write"/> writes (EventCodec, DecisionAnswer).</summary>
    internal static JsonElement Build(Action<Utf8JsonWriter> write)
    {
        var w = Writer(ref t_compact, indented: false, out var buffer);
        w.WriteStartObject();
        write(w);
        w.WriteEndObject();
        w.Flush();
        return JsonElement.Parse(buffer.WrittenSpan);
    }
}
