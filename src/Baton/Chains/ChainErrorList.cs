using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Baton.Chains;

/// <summary>Collects every problem of one chain file; the loader throws once, at the end.</summary>
internal sealed class ChainErrorList(string file)
{
    private readonly List<ChainError> errors = [];

    public string File { get; } = file;

    public int Count => errors.Count;

    public void Add(SourceLocation location, string message) => errors.Add(new ChainError(File, location, message));

    public void Add(Mark mark, string message) => Add(At(mark), message);

    public void Add(YamlNode node, string message) => Add(node.Start, message);

    /// <summary>Sorted by position so the output reads top to bottom like the file.</summary>
    public IReadOnlyList<ChainError> ToList() =>
        errors.OrderBy(e => e.Location.Line).ThenBy(e => e.Location.Column).ToList();

    public static SourceLocation At(Mark mark) => new((int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    public static SourceLocation At(YamlNode node) => At(node.Start);
}
