using System.Text.Json;

namespace Baton.Events;

/// <summary>
/// One event file of a run: <c>events/NNNNNN-&lt;type&gt;.json</c> (docs/events.md). The run's state is a fold over these.
/// The envelope is typed here; what the event says is <see cref="Body"/> (one of the records of EventBody). Data stays
/// the raw JSON as the file holds it, so a custom event's fields and an older file's extra ones are kept as written.
/// </summary>
public sealed record RunEvent(long Seq, string Type, string? Agent, int Attempt, DateTimeOffset Time, JsonElement? Data)
{
    /// <summary>For events ingested from the inbox: the inbox file they came from, so a crash mid-ingest never doubles one.</summary>
    public string? Source { get; init; }

    public string FileName => EventFiles.FileName(Seq, Type);

    private JsonElement? _data = Data;

    /// <summary>
    /// The event file's `data` object. For an event the engine writes it is made from <see cref="Body"/> only when
    /// someone asks (the API, a custom event's reader): the file itself is written straight from the record, so
    /// the data is not written, parsed and written again for every event (issue 13's W1 regression).
    /// </summary>
    public JsonElement? Data
    {
        get => _data ??= _body is { } body and not CustomEvent ? EventCodec.Encode(body) : null;
        init => _data = value;
    }

    /// <summary>Writes the `data` object: from the record when no element was made or read, else the element.</summary>
    internal void WriteData(Utf8JsonWriter w)
    {
        if (_data is null && _body is { } body and not CustomEvent)
        {
            w.WriteStartObject();
            body.WriteData(w);
            w.WriteEndObject();
        }
        else if (Data is { } data)
            data.WriteTo(w);
        else
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }
    }

    private EventBody? _body;

    /// <summary>What the event says, typed (decoded from Type and Data once, or as the engine wrote it).</summary>
    public EventBody Body
    {
        get => _body ??= EventCodec.Decode(Type, Agent, Data);
        init => _body = value;
    }

    /// <summary>The suffix after "&lt;agent&gt;." for agent events ("done", "failed", a custom type...).</summary>
    public string? AgentEventSuffix => Agent is null ? null : EventCodec.AgentSuffix(Type, Agent);
}
