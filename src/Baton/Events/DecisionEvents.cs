using System.Globalization;
using System.Text.Json;

namespace Baton.Events;

/// <summary>
/// <c>&lt;agent&gt;.waiting</c>: a decision agent showed <c>shown</c> (its file, hashed as <c>shown_hash</c>) and waits for
/// one of <c>options</c>; <c>deadline</c> when the decision has a timeout. Its attempt is the round.
/// </summary>
public sealed record AgentWaiting(
    string Shown,
    string ShownHash,
    IReadOnlyList<Decision> Options,
    int Round,
    int MaxRounds,
    DateTimeOffset? Deadline
) : AgentEventBody
{
    public override string Suffix => EventTypes.Waiting;

    internal override void WriteData(Utf8JsonWriter w)
    {
        w.WriteString("shown", Shown);
        w.WriteString("shown_hash", ShownHash);
        w.WriteStartArray("options");
        foreach (var option in Options)
            w.WriteStringValue(option.Wire());
        w.WriteEndArray();
        w.WriteNumber("round", Round);
        w.WriteNumber("max_rounds", MaxRounds);
        if (Deadline is { } deadline)
            w.WriteString("deadline", deadline.ToString("O", CultureInfo.InvariantCulture));
    }

    public bool Equals(AgentWaiting? other) =>
        other is not null
        && (Shown, ShownHash, Round, MaxRounds, Deadline)
            == (other.Shown, other.ShownHash, other.Round, other.MaxRounds, other.Deadline)
        && Options.SequenceEqual(other.Options);

    public override int GetHashCode() => HashCode.Combine(Shown, ShownHash, Round, MaxRounds, Deadline);
}

/// <summary>
/// <c>&lt;agent&gt;.decided</c>: the engine accepted an answer (from the inbox, or the decision's default at its timeout).
/// <c>rerun</c>: for <c>changes</c>, the agents that run again (DecisionRounds).
/// </summary>
public sealed record AgentDecided(
    Decision Decision,
    string By,
    string Comment,
    int Round,
    string? ShownHash,
    IReadOnlyList<string>? Rerun = null
) : AgentEventBody
{
    public override string Suffix => EventTypes.Decided;

    internal override void WriteData(Utf8JsonWriter w)
    {
        w.WriteString("decision", Decision.Wire());
        w.WriteString("by", By);
        w.WriteString("comment", Comment);
        w.WriteNumber("round", Round);
        EventData.Write(w, "shown_hash", ShownHash);
        if (Rerun is { } rerun)
        {
            w.WriteStartArray("rerun");
            foreach (var name in rerun)
                w.WriteStringValue(name);
            w.WriteEndArray();
        }
    }

    public bool Equals(AgentDecided? other) =>
        other is not null
        && (Decision, By, Comment, Round, ShownHash)
            == (other.Decision, other.By, other.Comment, other.Round, other.ShownHash)
        && (Rerun ?? []).SequenceEqual(other.Rerun ?? []);

    public override int GetHashCode() => HashCode.Combine(Decision, By, Comment, Round, ShownHash);
}

/// <summary><c>&lt;agent&gt;.rejected</c>: a decision answered with reject.</summary>
public sealed record AgentRejected : AgentEventBody
{
    public override string Suffix => EventTypes.Rejected;

    internal override void WriteData(Utf8JsonWriter w) => w.WriteString("decision", Decision.Reject.Wire());
}

/// <summary>
/// An answer to a decision as `baton decide` and the server drop it into the inbox
/// (<c>inbox/&lt;agent&gt;.decided@….json</c>). Not an event: the engine checks it and writes <see cref="AgentDecided"/>.
/// Read from a file, every field may be missing or wrong; the engine says which (DecisionRules).
/// </summary>
public sealed record DecisionAnswer(string? Decision, string? Comment, string? By, int? Round, string? ShownHash)
{
    public JsonElement ToData() =>
        EventData.Build(w =>
        {
            EventData.Write(w, "decision", Decision);
            EventData.Write(w, "comment", Comment);
            EventData.Write(w, "by", By);
            EventData.Write(w, "round", Round);
            EventData.Write(w, "shown_hash", ShownHash);
        });

    public static DecisionAnswer Read(JsonElement data)
    {
        var d = new EventData(data);
        return new DecisionAnswer(
            d.String("decision"),
            d.String("comment"),
            d.String("by"),
            d.Int32("round"),
            d.String("shown_hash")
        );
    }
}
