using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Baton.Chains;

/// <summary>
/// Typed reads of YAML nodes. A node of the wrong shape is a located error and a null result,
/// never an exception, so one bad value does not hide the others.
/// </summary>
internal sealed class YamlReader(ChainErrorList errors)
{
    public ChainErrorList Errors { get; } = errors;

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" };

    public static string Describe(YamlNode node) =>
        node switch
        {
            YamlMappingNode => "a mapping",
            YamlSequenceNode => "a list",
            _ when IsNull(node) => "empty",
            _ => "a string",
        };

    public string? Text(YamlNode node, string what, bool required = true)
    {
        if (node is YamlScalarNode scalar && !IsNull(node))
        {
            return scalar.Value ?? "";
        }
        if (required || !IsNull(node))
        {
            Errors.Add(node, $"{what} must be a string, not {Describe(node)}");
        }
        return null;
    }

    /// <summary>A YAML list read item by item; items that fail to read were reported and are left out.</summary>
    public List<T> List<T>(YamlNode node, string what, string items, Func<YamlNode, T?> readItem)
        where T : class
    {
        var result = new List<T>();
        if (node is not YamlSequenceNode list)
        {
            Errors.Add(node, $"{what} must be a list of {items}, not {Describe(node)}");
            return result;
        }
        foreach (var item in list.Children)
            if (readItem(item) is { } read)
                result.Add(read);
        return result;
    }

    public YamlMappingNode? Map(YamlNode node, string what)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }
        Errors.Add(node, $"{what} must be a mapping, not {Describe(node)}");
        return null;
    }

    /// <summary>The entries of a mapping whose keys are plain strings; other keys are reported.</summary>
    public List<YamlEntry> Entries(YamlMappingNode map, string where)
    {
        var entries = new List<YamlEntry>();
        foreach (var (key, value) in map.Children)
        {
            if (key is YamlScalarNode { Value: { Length: > 0 } name } scalar)
            {
                entries.Add(new YamlEntry(scalar, name, value));
            }
            else
            {
                Errors.Add(key, $"keys in {where} must be plain names, not {Describe(key)}");
            }
        }
        return entries;
    }

    public void UnknownKey(YamlScalarNode key, string where, IEnumerable<string> allowed) =>
        Errors.Add(key, $"unknown key '{key.Value}' in {where}{Errors.Hint(key.Value!, allowed)}");

    /// <summary>A list of strings; a single string is accepted as a one-item list when allowed.</summary>
    public List<(string Value, YamlNode Node)>? StringList(YamlNode node, string what, bool allowSingle)
    {
        if (allowSingle && node is YamlScalarNode && !IsNull(node))
        {
            return [(((YamlScalarNode)node).Value ?? "", node)];
        }
        if (node is not YamlSequenceNode list)
        {
            Errors.Add(node, $"{what} must be a list{(allowSingle ? " or a string" : "")}, not {Describe(node)}");
            return null;
        }
        var items = new List<(string, YamlNode)>();
        foreach (var item in list.Children)
        {
            if (Text(item, $"each entry of {what}") is { } value)
            {
                items.Add((value, item));
            }
        }
        return items;
    }

    public int? Int(YamlNode node, string what, int min, int max)
    {
        if (
            node is YamlScalarNode { Value: { } text }
            && int.TryParse(text, System.Globalization.NumberStyles.None, null, out var value)
            && value >= min
            && value <= max
        )
        {
            return value;
        }
        Errors.Add(node, $"{what} must be a whole number from {min} to {max}");
        return null;
    }

    public TimeSpan? Duration(YamlNode node, string what)
    {
        if (Text(node, what) is not { } text)
        {
            return null;
        }
        if (Chains.Duration.TryParse(text, out var value, out var error))
        {
            return value;
        }
        Errors.Add(node, $"{what}: {error}");
        return null;
    }
}

/// <summary>
/// One entry of a YAML mapping with a plain key. A class, not a value tuple: lists and LINQ over a reference type run
/// the framework's shared, precompiled code, where a tuple made the JIT compile each List/LINQ method anew at every
/// chain load (~30 methods per `baton run`, docs/performance.md).
/// </summary>
internal sealed record YamlEntry(YamlScalarNode Key, string Name, YamlNode Value);
