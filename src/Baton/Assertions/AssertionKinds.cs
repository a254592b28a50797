namespace Baton.Assertions;

public enum AssertionKind
{
    Equals,
    Contains,
    IContains,
    ContainsAny,
    ContainsAll,
    StartsWith,
    Regex,
    IsJson,
    ContainsJson,
    Cost,
    Latency,
    LlmRubric,
}

/// <summary>The one table of assertion type names (as written in case files and checks) and what each needs.</summary>
public static class AssertionKinds
{
    private static readonly Dictionary<string, AssertionKind> ByName = new(StringComparer.Ordinal)
    {
        ["equals"] = AssertionKind.Equals,
        ["contains"] = AssertionKind.Contains,
        ["icontains"] = AssertionKind.IContains,
        ["contains-any"] = AssertionKind.ContainsAny,
        ["contains-all"] = AssertionKind.ContainsAll,
        ["starts-with"] = AssertionKind.StartsWith,
        ["regex"] = AssertionKind.Regex,
        ["is-json"] = AssertionKind.IsJson,
        ["contains-json"] = AssertionKind.ContainsJson,
        ["cost"] = AssertionKind.Cost,
        ["latency"] = AssertionKind.Latency,
        ["llm-rubric"] = AssertionKind.LlmRubric,
    };

    public static IEnumerable<string> Names => ByName.Keys;

    public static string Name(AssertionKind kind) => ByName.First(p => p.Value == kind).Key;

    /// <summary>`not-contains` → (Contains, negated); null for a type Baton does not know.</summary>
    public static (AssertionKind Kind, bool Negated)? Parse(string type)
    {
        var negated = type.StartsWith("not-", StringComparison.Ordinal);
        return ByName.TryGetValue(negated ? type[4..] : type, out var kind) ? (kind, negated) : null;
    }

    /// <summary>Types whose `value` is required (is-json and contains-json take an optional schema; cost and latency a limit).</summary>
    public static bool NeedsValue(AssertionKind kind) =>
        kind is not (AssertionKind.IsJson or AssertionKind.ContainsJson or AssertionKind.Cost or AssertionKind.Latency);

    /// <summary>cost and latency compare against a limit, given as `threshold` (promptfoo) or `value`.</summary>
    public static bool IsLimit(AssertionKind kind) => kind is AssertionKind.Cost or AssertionKind.Latency;
}
