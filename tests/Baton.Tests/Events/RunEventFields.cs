using Baton.Events;

namespace Baton.Tests.Events;

/// <summary>
/// Tests' look at an event's data by field name: what the file says, whatever record it decodes to (a custom event's
/// fields, or a field a test wants to see as written). The product reads events through RunEvent.Body.
/// </summary>
internal static class RunEventFields
{
    public static string? GetString(this RunEvent e, string property) => new EventData(e.Data).String(property);

    public static bool GetBool(this RunEvent e, string property) => new EventData(e.Data).True(property);

    public static long? GetInt64(this RunEvent e, string property) => new EventData(e.Data).Int64(property);
}
