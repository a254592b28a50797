namespace Baton.Assertions;

/// <summary>Scores an output against a rubric (llm-rubric). Implemented by <see cref="LlmJudge"/>; tests may pass their own.</summary>
public interface IJudge
{
    /// <exception cref="JudgeException">The judge could not be asked or its reply could not be read.</exception>
    Task<JudgeVerdict> JudgeAsync(string rubric, string output, CancellationToken cancellationToken);
}

/// <summary>Score is 0..1.</summary>
public sealed record JudgeVerdict(bool Pass, double Score, string Reason);

public sealed class JudgeException(string message, Exception? inner = null) : Exception(message, inner);
