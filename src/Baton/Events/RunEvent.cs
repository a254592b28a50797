using System.Text.Json;

namespace Baton.Events;

/// <summary>
/// One event file of a run: <c>events/NNNNNN-&lt;type&gt;.json</c> (SPEC §3). The run's state is a fold over these.
/// Data is kept as raw JSON because custom events carry whatever the emitting script wrote.
/// </summary>
public sealed record RunEvent(long Seq, string Type, string? Agent, int Attempt, DateTimeOffset Time, JsonElement? Data)
{
    /// <summary>For events ingested from the inbox: the inbox file they came from, so a crash mid-ingest never doubles one.</summary>
    public string? Source { get; init; }

    public string FileName => EventFiles.FileName(Seq, Type);

    /// <summary>The suffix after "&lt;agent&gt;." for agent events ("done", "failed", a custom type...).</summary>
    public string? AgentEventSuffix =>
        Agent is not null
        && Type.Length > Agent.Length + 1
        && Type.StartsWith(Agent, StringComparison.Ordinal)
        && Type[Agent.Length] == '.'
            ? Type[(Agent.Length + 1)..]
            : null;

    public string? GetString(string property) =>
        Data is { ValueKind: JsonValueKind.Object } d
        && d.TryGetProperty(property, out var v)
        && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;

    public bool GetBool(string property) =>
        Data is { ValueKind: JsonValueKind.Object } d
        && d.TryGetProperty(property, out var v)
        && v.ValueKind == JsonValueKind.True;

    public long? GetInt64(string property) =>
        Data is { ValueKind: JsonValueKind.Object } d
        && d.TryGetProperty(property, out var v)
        && v.ValueKind == JsonValueKind.Number
        && v.TryGetInt64(out var n)
            ? n
            : null;
}
