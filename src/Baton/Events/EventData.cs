using System.Text.Json;

namespace Baton.Events;

/// <summary>
/// Reads an event's data object by field, tolerant of what older or hand-written files hold: a missing field, or one
/// of another JSON kind, reads as null (the fold then treats it as absent, as it always has).
/// </summary>
internal readonly struct EventData(JsonElement? data)
{
    private JsonElement? Field(string name) =>
        data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty(name, out var v) ? v : null;

    public string? String(string name) => Field(name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    public bool True(string name) => Field(name) is { ValueKind: JsonValueKind.True };

    public long? Int64(string name) =>
        Field(name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var n) ? n : null;

    public int? Int32(string name) =>
        Field(name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var n) ? n : null;

    public double? Double(string name) =>
        Field(name) is { ValueKind: JsonValueKind.Number } v && v.TryGetDouble(out var x) ? x : null;

    public decimal? Decimal(string name) =>
        Field(name) is { ValueKind: JsonValueKind.Number } v && v.TryGetDecimal(out var n) ? n : null;

    public EventData? Object(string name) =>
        Field(name) is { ValueKind: JsonValueKind.Object } v ? new EventData(v) : null;

    public IReadOnlyList<string>? Strings(string name) =>
        Field(name) is { ValueKind: JsonValueKind.Array } v
            ? [.. v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)]
            : null;

    public static void Write(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
            w.WriteString(name, value);
    }

    public static void Write(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } n)
            w.WriteNumber(name, n);
    }

    public static void Write(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } n)
            w.WriteNumber(name, n);
    }

    /// <summary>A data object written by <paramref name="write"/>, as the element an event holds.</summary>
    public static JsonElement Build(Action<Utf8JsonWriter> write) => EventJson.Build(write);
}
