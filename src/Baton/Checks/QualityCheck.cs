using Baton.Assertions;

namespace Baton.Checks;

/// <summary>What a failed check does: note it (the run still succeeds, but is not green), fail the agent, or re-run it with the check's message as {{ feedback }}.</summary>
public enum OnFail
{
    Warn,
    Fail,
    Retry,
}

/// <summary>
/// One entry of an agent's `checks:` (docs/monitoring.md): an assertion of the same types as `baton test`
/// (one implementation, Baton.Assertions), `length` (min/max characters of the output), or `run:` (a script).
/// </summary>
public sealed record QualityCheck(string Name, OnFail OnFail, double Weight)
{
    public Assertion? Assertion { get; init; }
    public int? MinLength { get; init; }
    public int? MaxLength { get; init; }

    /// <summary>A `run:` check's script: exit 0 passes (CheckRunner.RunScriptAsync).</summary>
    public string? Script { get; init; }
}

/// <summary>A check's verdict on one attempt's output.</summary>
public sealed record CheckOutcome(QualityCheck Check, bool Passed, double Score, string Message);
