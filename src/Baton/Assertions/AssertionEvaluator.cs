using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Baton.Assertions;

/// <summary>
/// Evaluates assertions. Every type but llm-rubric is a pure function of the output (and its
/// cost and latency); llm-rubric asks a judge. `not-` inverts a verdict, but never turns a check
/// that could not be made (bad regex, unknown cost, judge unreachable) into a pass.
/// </summary>
public static class AssertionEvaluator
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    public static async Task<AssertionResult> EvaluateAsync(
        Assertion assertion,
        AssertionSubject subject,
        IJudge? judge,
        CancellationToken cancellationToken = default
    )
    {
        if (assertion.Kind != AssertionKind.LlmRubric)
            return Evaluate(assertion, subject);
        if (judge is null)
            return Unusable("llm-rubric needs a judge model and none is configured");
        JudgeVerdict verdict;
        try
        {
            verdict = await judge.JudgeAsync(Text(assertion.Value), subject.Output, cancellationToken);
        }
        catch (JudgeException e)
        {
            return Unusable(e.Message);
        }
        var pass = assertion.Threshold is { } threshold ? verdict.Score >= threshold : verdict.Pass;
        var because = assertion.Threshold is { } t
            ? $"judge scored {verdict.Score:0.##} (threshold {t:0.##}): {verdict.Reason}"
            : $"judge said {(verdict.Pass ? "pass" : "fail")}: {verdict.Reason}";
        return Negate(assertion, new AssertionResult(pass, verdict.Score, because));
    }

    /// <summary>Every type except llm-rubric, without I/O.</summary>
    public static AssertionResult Evaluate(Assertion assertion, AssertionSubject subject)
    {
        var output = subject.Output;
        var result = assertion.Kind switch
        {
            AssertionKind.Equals => EqualsValue(output, assertion.Value),
            AssertionKind.Contains => Check(
                output.Contains(Text(assertion.Value), StringComparison.Ordinal),
                $"contains '{Text(assertion.Value)}'"
            ),
            AssertionKind.IContains => Check(
                output.Contains(Text(assertion.Value), StringComparison.OrdinalIgnoreCase),
                $"contains '{Text(assertion.Value)}' (ignoring case)"
            ),
            AssertionKind.ContainsAny => ContainsAny(output, Texts(assertion.Value)),
            AssertionKind.ContainsAll => ContainsAll(output, Texts(assertion.Value)),
            AssertionKind.StartsWith => Check(
                output.StartsWith(Text(assertion.Value), StringComparison.Ordinal),
                $"starts with '{Text(assertion.Value)}'"
            ),
            AssertionKind.Regex => MatchesRegex(output, Text(assertion.Value)),
            AssertionKind.IsJson => JsonChecks.IsJson(output, assertion.Value),
            AssertionKind.ContainsJson => JsonChecks.ContainsJson(output, assertion.Value),
            AssertionKind.Cost => WithinLimit(subject.CostUsd, Limit(assertion), "cost", "USD"),
            AssertionKind.Latency => WithinLimit((decimal?)subject.LatencyMs, Limit(assertion), "latency", "ms"),
            AssertionKind.LlmRubric => throw new InvalidOperationException(
                "llm-rubric needs EvaluateAsync and a judge"
            ),
            _ => throw new ArgumentOutOfRangeException(nameof(assertion), assertion.Kind, "unknown assertion kind"),
        };
        return Negate(assertion, result);
    }

    private static AssertionResult Negate(Assertion assertion, AssertionResult result) =>
        !assertion.Negated || result.Unusable
            ? result
            : new AssertionResult(
                !result.Pass,
                1 - result.Score,
                $"{assertion.Type} {(result.Pass ? "fails" : "holds")}: {result.Reason}"
            );

    internal static AssertionResult Unusable(string why) => new(false, 0, why) { Unusable = true };

    private static AssertionResult Check(bool pass, string what) =>
        new(pass, pass ? 1 : 0, pass ? $"output {what}" : $"output does not satisfy: {what}");

    private static AssertionResult EqualsValue(string output, JsonNode? value)
    {
        if (value is JsonObject or JsonArray)
        {
            // A structured value compares as JSON, so key order and spacing do not matter.
            JsonNode? parsed;
            try
            {
                parsed = JsonNode.Parse(output);
            }
            catch (JsonException)
            {
                return AssertionResult.Failed("output is not JSON, so it cannot equal the expected JSON value");
            }
            return Check(JsonNode.DeepEquals(parsed, value), $"equals {value.ToJsonString()} as JSON");
        }
        var expected = Text(value);
        return Check(output == expected, $"equals '{expected}'");
    }

    private static AssertionResult ContainsAny(string output, IReadOnlyList<string> needles)
    {
        var found = needles.FirstOrDefault(n => output.Contains(n, StringComparison.Ordinal));
        return found is not null
            ? AssertionResult.Passed($"output contains '{found}'")
            : AssertionResult.Failed($"output contains none of: {string.Join(", ", needles.Select(n => $"'{n}'"))}");
    }

    private static AssertionResult ContainsAll(string output, IReadOnlyList<string> needles)
    {
        var missing = needles.Where(n => !output.Contains(n, StringComparison.Ordinal)).ToList();
        return missing.Count == 0
            ? AssertionResult.Passed($"output contains all of {needles.Count}")
            : AssertionResult.Failed($"output lacks: {string.Join(", ", missing.Select(n => $"'{n}'"))}");
    }

    private static AssertionResult MatchesRegex(string output, string pattern)
    {
        try
        {
            return Check(Regex.IsMatch(output, pattern, RegexOptions.None, RegexTimeout), $"matches /{pattern}/");
        }
        catch (ArgumentException e)
        {
            return Unusable($"regex /{pattern}/ is invalid: {e.Message}");
        }
        catch (RegexMatchTimeoutException)
        {
            return Unusable($"regex /{pattern}/ took longer than {RegexTimeout.TotalSeconds:0} s on this output");
        }
    }

    private static AssertionResult WithinLimit(decimal? actual, decimal limit, string what, string unit)
    {
        if (actual is not { } value)
            return Unusable($"the {what} of this output is not known");
        var shown = value.ToString("0.######", CultureInfo.InvariantCulture);
        return value <= limit
            ? AssertionResult.Passed($"{what} {shown} {unit} ≤ {limit} {unit}")
            : AssertionResult.Failed($"{what} {shown} {unit} > {limit} {unit}");
    }

    private static decimal Limit(Assertion assertion) =>
        assertion.Threshold is { } threshold ? (decimal)threshold
        : assertion.Value is JsonValue v && v.TryGetValue<double>(out var d) ? (decimal)d
        : decimal.Parse(Text(assertion.Value), CultureInfo.InvariantCulture);

    /// <summary>A scalar value as text (numbers and booleans as written in JSON).</summary>
    internal static string Text(JsonNode? value) =>
        value switch
        {
            null => "",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => value.ToJsonString(),
        };

    /// <summary>A list value; a single string is a comma-separated list, as promptfoo reads it.</summary>
    internal static IReadOnlyList<string> Texts(JsonNode? value) =>
        value is JsonArray list
            ? [.. list.Select(Text)]
            : [.. Text(value).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
}
