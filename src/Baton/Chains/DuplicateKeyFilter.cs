using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Baton.Chains;

/// <summary>
/// Sits between the YAML parser and the representation model and drops the second and later
/// occurrences of a mapping key (with their values), reporting each. The representation model
/// would otherwise stop at the first duplicate with one exception; this way a duplicate agent is
/// one located error among all the others.
/// </summary>
internal sealed class DuplicateKeyFilter(IParser inner, Action<Scalar, Mark, string?> onDuplicate) : IParser
{
    private sealed class Frame(bool isMapping, string? parentKey)
    {
        public bool IsMapping { get; } = isMapping;
        public string? ParentKey { get; } = parentKey;
        public bool ExpectKey { get; set; } = true;
        public string? LastKey { get; set; }
        public Dictionary<string, Mark> Keys { get; } = new(StringComparer.Ordinal);
    }

    private readonly Stack<Frame> _frames = new();

    public ParsingEvent? Current => inner.Current;

    /// <summary>Where the last event passed on ended: the best location when the parser itself fails.</summary>
    public Mark LastEnd { get; private set; } = Mark.Empty;

    public bool MoveNext()
    {
        while (inner.MoveNext())
        {
            var current = inner.Current!;
            if (
                current is Scalar key
                && _frames.TryPeek(out var top)
                && top.IsMapping
                && top.ExpectKey
                && top.Keys.TryGetValue(key.Value, out var first)
            )
            {
                onDuplicate(key, first, top.ParentKey);
                SkipValue();
                continue;
            }
            Track(current);
            LastEnd = current.End;
            return true;
        }
        return false;
    }

    private void SkipValue()
    {
        if (!inner.MoveNext())
        {
            return;
        }
        var depth = inner.Current is MappingStart or SequenceStart ? 1 : 0;
        while (depth > 0 && inner.MoveNext())
        {
            depth += inner.Current switch
            {
                MappingStart or SequenceStart => 1,
                MappingEnd or SequenceEnd => -1,
                _ => 0,
            };
        }
    }

    private void Track(ParsingEvent current)
    {
        switch (current)
        {
            case DocumentStart:
                _frames.Clear();
                break;
            case MappingStart:
            case SequenceStart:
                if (_frames.Count >= ChainLimits.MaxDepth)
                    throw new YamlException(
                        current.Start,
                        current.End,
                        $"nested more than {ChainLimits.MaxDepth} levels deep; a chain needs far fewer (docs/chains.md, Limits)"
                    );
                var parentKey =
                    _frames.TryPeek(out var parent) && parent.IsMapping && !parent.ExpectKey ? parent.LastKey : null;
                _frames.Push(new Frame(current is MappingStart, parentKey));
                break;
            case MappingEnd:
            case SequenceEnd:
                _frames.TryPop(out _);
                NodeDone();
                break;
            case Scalar scalar:
                if (_frames.TryPeek(out var top) && top.IsMapping && top.ExpectKey)
                {
                    top.Keys[scalar.Value] = scalar.Start;
                    top.LastKey = scalar.Value;
                }
                NodeDone();
                break;
            case AnchorAlias:
                NodeDone();
                break;
        }
    }

    private void NodeDone()
    {
        if (_frames.TryPeek(out var top) && top.IsMapping)
        {
            top.ExpectKey = !top.ExpectKey;
        }
    }
}
