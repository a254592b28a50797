using System.Text.Json;

namespace Baton.Notifications;

/// <summary>
/// One line of runs/&lt;id&gt;/notifications.jsonl: which `notify:` entry (its index and host — never the whole URL,
/// whose path is often the secret, as Slack's are), for which event, delivered or not, and each try.
/// </summary>
internal static class DeliveryRecord
{
    public static byte[] Line(
        DateTimeOffset time,
        int index,
        Uri url,
        string eventName,
        bool delivered,
        IReadOnlyList<DeliveryAttempt> tries
    )
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("time", time);
            w.WriteNumber("notify", index);
            w.WriteString("host", url.Host);
            w.WriteString("event", eventName);
            w.WriteBoolean("delivered", delivered);
            w.WriteStartArray("tries");
            foreach (var attempt in tries)
            {
                w.WriteStartObject();
                if (attempt.Status is { } status)
                    w.WriteNumber("status", status);
                if (attempt.Error is { } error)
                    w.WriteString("error", error);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
