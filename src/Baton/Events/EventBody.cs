using System.Text.Json;

namespace Baton.Events;

/// <summary>
/// What one event says, typed: the closed set of the engine's events (EngineEvents.cs, AgentEvents.cs,
/// DecisionEvents.cs) plus <see cref="CustomEvent"/> for whatever a script or an outside writer sends.
/// The envelope (seq, agent, attempt, time, source) is <see cref="RunEvent"/>; this is its <c>type</c> and
/// <c>data</c>. <see cref="EventCodec"/> is the one mapping to and from the files: each record writes its
/// fields in a fixed order and leaves out the nulls, so the files stay byte-for-byte what they were.
/// docs/events.md lists every record with an example file, and a test holds the two together.
/// </summary>
public abstract record EventBody
{
    /// <summary>Only this assembly adds event kinds: a new one needs its docs/events.md entry and its codec case.</summary>
    private protected EventBody() { }

    /// <summary>The event's type (its file name after the sequence) when written by or for this agent.</summary>
    public abstract string TypeFor(string? agent);

    /// <summary>Writes the data object's properties, in their file order; nulls are left out.</summary>
    internal abstract void WriteData(Utf8JsonWriter w);
}

/// <summary>An agent's own event: its type is <c>&lt;agent&gt;.&lt;suffix&gt;</c>.</summary>
public abstract record AgentEventBody : EventBody
{
    private protected AgentEventBody() { }

    /// <summary>The part after "&lt;agent&gt;." (EventTypes): done, failed, waiting, ….</summary>
    public abstract string Suffix { get; }

    public sealed override string TypeFor(string? agent) =>
        EventTypes.For(
            agent ?? throw new ArgumentNullException(nameof(agent), $"a {Suffix} event has an agent"),
            Suffix
        );
}

/// <summary>
/// Anything that is not one of the engine's own events: a script's <c>inbox/&lt;agent&gt;/TYPE.json</c>, an
/// outside writer's file. Its data is kept as written (secrets masked). Written as given; read back as whatever
/// its type says (a <c>run.cancel</c> taken from the inbox reads back as <see cref="RunCancel"/>).
/// </summary>
public sealed record CustomEvent(string Type, JsonElement Data) : EventBody
{
    public override string TypeFor(string? agent) => Type;

    /// <summary>Same type and the same JSON (JsonElement itself compares by reference).</summary>
    public bool Equals(CustomEvent? other) =>
        other is not null && Type == other.Type && JsonElement.DeepEquals(Data, other.Data);

    public override int GetHashCode() => Type.GetHashCode(StringComparison.Ordinal);

    /// <summary>Never called: EventCodec writes a custom event's data as it is (it may not even be an object).</summary>
    internal override void WriteData(Utf8JsonWriter w) => throw new NotSupportedException();
}
