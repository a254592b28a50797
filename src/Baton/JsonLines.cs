using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Baton;

/// <summary>
/// One line of a workspace's JSONL logs (the cost ledger, llm-calls, cost history, alerts): an object whose first
/// field is its UTC time to the millisecond, then what <c>fields</c> writes, then a newline.
/// </summary>
internal static class JsonLines
{
    public static byte[] Write(DateTimeOffset time, Action<Utf8JsonWriter> fields, bool newline = true)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString(
                "time",
                time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            );
            fields(w);
            w.WriteEndObject();
        }
        if (newline)
            buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
