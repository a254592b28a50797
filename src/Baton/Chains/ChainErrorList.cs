using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Baton.Chains;

/// <summary>Collects every problem of one chain file; the loader throws once, at the end.</summary>
internal sealed class ChainErrorList(string file)
{
    // A suggestion costs an edit distance to every candidate; past this many, a chain full of typos
    // would make validation quadratic, and nobody reads that far before fixing the first ones.
    private const int MaxHints = 50;
    private readonly List<ChainError> _errors = [];
    private int _hints;

    public string File { get; } = file;

    public int Count => _errors.Count;

    /// <summary>"; did you mean 'x'?" or "" (KeySuggester), for the first MaxHints errors that ask.</summary>
    public string Hint(string typed, IEnumerable<string> candidates) =>
        _hints++ < MaxHints ? KeySuggester.Hint(typed, candidates) : "";

    public void Add(SourceLocation location, string message) => _errors.Add(new ChainError(File, location, message));

    public void Add(Mark mark, string message) => Add(At(mark), message);

    public void Add(YamlNode node, string message) => Add(node.Start, message);

    /// <summary>Sorted by position so the output reads top to bottom like the file.</summary>
    public IReadOnlyList<ChainError> ToList() =>
        _errors.OrderBy(e => e.Location.Line).ThenBy(e => e.Location.Column).ToList();

    public static SourceLocation At(Mark mark) => new((int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    public static SourceLocation At(YamlNode node) => At(node.Start);
}
