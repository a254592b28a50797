namespace Baton.Chains;

/// <summary>One problem in a chain file, located so an editor can jump to it.</summary>
public sealed record ChainError(string File, SourceLocation Location, string Message)
{
    public override string ToString() => $"{File}:{Location.Line}:{Location.Column}: {Message}";
}

/// <summary>Thrown when a chain has errors; carries every error found, not just the first.</summary>
public sealed class ChainValidationException(IReadOnlyList<ChainError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<ChainError> Errors { get; } = errors;
}
