using System.Globalization;
using System.Text.Json;

namespace Baton;

/// <summary>
/// The workspace's JSONL logs (the cost ledger, llm-calls, cost history, alerts): each line an object whose first
/// field is its UTC time to the millisecond, then what <c>fields</c> writes, then a newline.
/// </summary>
internal static class JsonLines
{
    /// <summary>
    /// The complete lines of an append-only log after <paramref name="offset"/> (empty ones left out), for readers
    /// that keep what they read and parse only what was added; <paramref name="end"/> is where the next read starts.
    /// A last line without its newline is still being written: it waits for the next read.
    /// </summary>
    public static string[] CompleteLinesAfter(Stream stream, long offset, out long end)
    {
        stream.Seek(offset, SeekOrigin.Begin);
        using var rest = new MemoryStream();
        stream.CopyTo(rest);
        var added = rest.GetBuffer().AsSpan(0, (int)rest.Length);
        var complete = added.LastIndexOf((byte)'\n') + 1;
        end = offset + complete;
        return System
            .Text.Encoding.UTF8.GetString(added[..complete])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static byte[] Write(DateTimeOffset time, Action<Utf8JsonWriter> fields, bool newline = true)
    {
        using var scratch = ScratchJson.Rent(default);
        return WriteTo(scratch, time, fields, newline).ToArray();
    }

    /// <summary>The line in <paramref name="scratch"/>'s buffer, for a caller that writes it to a file at once (no copy).</summary>
    public static ReadOnlySpan<byte> WriteTo(
        ScratchJson scratch,
        DateTimeOffset time,
        Action<Utf8JsonWriter> fields,
        bool newline = true
    )
    {
        var w = scratch.Writer;
        w.WriteStartObject();
        Span<byte> text = stackalloc byte[32];
        time.UtcDateTime.TryFormat(text, out var length, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        w.WriteString("time", text[..length]);
        fields(w);
        w.WriteEndObject();
        return scratch.Written(newline ? "\n"u8 : default);
    }
}
