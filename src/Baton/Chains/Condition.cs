using System.Text.Json;
using System.Text.RegularExpressions;

namespace Baton.Chains;

/// <summary>
/// An agent's `when:` (docs/chains.md, Conditions): one test of the event that would start it — its
/// name, or a value in its data — with equals, contains or matches. No expression language: a
/// routing table of plain tests, and `otherwise` for the agent that takes what no other test took.
/// </summary>
public sealed record Condition(string Field, string Test, string Value, string? Event)
{
    /// <summary>`when: otherwise`: holds when no other agent's condition on the same event does.</summary>
    public bool IsOtherwise => Test == Otherwise;

    public const string Otherwise = "otherwise";
    public static readonly string[] Tests = ["equals", "contains", "matches"];

    private Regex? _pattern;

    /// <summary>Checked when the chain is loaded (ChainParser), so a bad pattern is a validation error, never a run-time one.</summary>
    internal Regex Pattern =>
        _pattern ??= new Regex(Value, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    /// <summary>Does this condition apply to an occurrence of `type` (its `event:`, or all of the agent's events)?</summary>
    public bool AppliesTo(string type) => Event is null || Event == type;

    public bool Holds(string type, JsonElement? data)
    {
        if (IsOtherwise)
            return false; // decided by the other agents' conditions (Planner)
        if (Subject(type, data) is not { } subject)
            return false;
        try
        {
            return Test switch
            {
                "equals" => subject == Value,
                "contains" => subject.Contains(Value, StringComparison.Ordinal),
                _ => Pattern.IsMatch(subject),
            };
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>The text tested: the event's name, or the data value at the dotted path (a string as is, anything else as JSON); null when absent.</summary>
    private string? Subject(string type, JsonElement? data)
    {
        if (Field == "name")
            return type;
        if (data is not { } value)
            return null;
        foreach (var step in Field.Split('.').Skip(1))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(step, out value))
                return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        };
    }

    public override string ToString() => IsOtherwise ? Otherwise : $"{Field} {Test} '{Value}'";
}
