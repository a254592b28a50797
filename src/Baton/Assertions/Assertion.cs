using System.Text.Json.Nodes;

namespace Baton.Assertions;

/// <summary>
/// One check of an output, in promptfoo's vocabulary (`type`, `value`, `threshold`) so case files
/// users already have keep working; `agent` names the agent whose output it checks (null: the
/// chain's final output). Shared by `baton test` cases and monitoring `checks:`.
/// </summary>
public sealed record Assertion(AssertionKind Kind, bool Negated, JsonNode? Value, double? Threshold, string? Agent)
{
    /// <summary>llm-rubric only: the judge's model alias (promptfoo's `provider:`); null = the workspace's judge.</summary>
    public string? Provider { get; init; }

    /// <summary>The type as written, with its `not-` prefix.</summary>
    public string Type => (Negated ? "not-" : "") + AssertionKinds.Name(Kind);

    public override string ToString() =>
        Value is null
            ? Type
            : $"{Type} {(Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : Value.ToJsonString())}";
}

/// <summary>What an assertion looks at: the output text and, where known, what producing it cost and took.</summary>
public sealed record AssertionSubject(string Output, decimal? CostUsd = null, double? LatencyMs = null);

/// <summary>An assertion's verdict. Score is 1/0 for the exact types, the judge's score for llm-rubric.</summary>
public sealed record AssertionResult(bool Pass, double Score, string Reason)
{
    /// <summary>The check could not be made (bad regex, unknown cost, judge unreachable): a failure even when negated.</summary>
    public bool Unusable { get; init; }

    public static AssertionResult Passed(string reason, double score = 1) => new(true, score, reason);

    public static AssertionResult Failed(string reason, double score = 0) => new(false, score, reason);
}
