using Baton.Assertions;

namespace Baton.Testing;

public sealed record AssertionOutcome(Assertion Assertion, string Agent, AssertionResult Result);

/// <summary>A case's verdict: passed when its run did not fail and every assertion held. Problem says why a case could not be checked.</summary>
public sealed record CaseResult(
    TestCase Case,
    string? RunId,
    string? Status,
    string? Problem,
    IReadOnlyList<AssertionOutcome> Assertions,
    TimeSpan Took
)
{
    public bool Passed => Problem is null && Assertions.All(a => a.Result.Pass);
}
