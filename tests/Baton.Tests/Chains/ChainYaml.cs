using Baton.Chains;

namespace Baton.Tests.Chains;

/// <summary>Loads chain YAML text with an in-memory set of referenced files.</summary>
internal static class ChainYaml
{
    public const string Path = "chains/test.yaml";

    public static Chain Load(string yaml, Dictionary<string, string>? files = null) =>
        ChainLoader.Load(Path, yaml, p => files?.GetValueOrDefault(p));

    public static IReadOnlyList<ChainError> Errors(string yaml, Dictionary<string, string>? files = null) =>
        ChainLoader.Validate(Path, yaml, p => files?.GetValueOrDefault(p));

    /// <summary>The one error containing text; fails listing all errors otherwise.</summary>
    public static ChainError Single(IReadOnlyList<ChainError> errors, string text)
    {
        var matches = errors.Where(e => e.Message.Contains(text, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"expected one error containing \"{text}\", got:\n{string.Join("\n", errors)}");
        return matches[0];
    }

    public static void AssertAt(ChainError error, int line, int column) =>
        Assert.Equal(new SourceLocation(line, column), error.Location);
}
