using Baton.Agents;
using Baton.Assertions;

namespace Baton.Checks;

/// <summary>Runs an agent's checks on the output of an attempt that succeeded.</summary>
internal static class CheckRunner
{
    public static async Task<IReadOnlyList<CheckOutcome>> RunAsync(
        IReadOnlyList<QualityCheck> checks,
        AgentContext context,
        AgentResult result,
        TimeSpan took,
        CancellationToken cancellationToken
    )
    {
        var output = File.Exists(context.OutputFile)
            ? await File.ReadAllTextAsync(context.OutputFile, cancellationToken)
            : "";
        var subject = new AssertionSubject(output, result.CostUsd, took.TotalMilliseconds);
        var outcomes = new List<CheckOutcome>(checks.Count);
        foreach (var check in checks)
        {
            if (check.Assertion is { } assertion)
            {
                // llm-rubric needs a judge the engine does not have yet: it reports itself unusable (a failed check).
                var verdict = await AssertionEvaluator.EvaluateAsync(
                    assertion,
                    subject,
                    judge: null,
                    cancellationToken
                );
                outcomes.Add(new CheckOutcome(check, verdict.Pass, verdict.Score, verdict.Reason));
                continue;
            }
            var length = output.Length;
            var tooShort = check.MinLength is { } min && length < min;
            var tooLong = check.MaxLength is { } max && length > max;
            outcomes.Add(
                new CheckOutcome(
                    check,
                    !tooShort && !tooLong,
                    tooShort || tooLong ? 0 : 1,
                    tooShort ? $"output is {length} characters, fewer than {check.MinLength}"
                        : tooLong ? $"output is {length} characters, more than {check.MaxLength}"
                        : $"output is {length} characters"
                )
            );
        }
        return outcomes;
    }
}
