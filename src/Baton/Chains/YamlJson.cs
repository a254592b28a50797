using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Baton.Chains;

/// <summary>
/// YAML to JSON text for `schema:` written as a mapping. Plain scalars follow the YAML 1.2 core
/// schema (null, true/false, numbers); quoted scalars are always strings.
/// </summary>
internal static partial class YamlJson
{
    // Aliases share nodes, so a small file can describe a huge tree ("billion laughs"): cap the output.
    private const int MaxNodes = 10_000;
    private const int MaxDepth = 64;

    [GeneratedRegex(@"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")]
    private static partial Regex Number();

    public static string? Convert(YamlNode node, out string? problem)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var budget = MaxNodes;
            problem = Write(writer, node, 0, ref budget);
        }
        return problem is null ? Encoding.UTF8.GetString(buffer.ToArray()) : null;
    }

    private static string? Write(Utf8JsonWriter writer, YamlNode node, int depth, ref int budget)
    {
        if (--budget < 0 || depth > MaxDepth)
        {
            return $"too large or too deeply nested (at most {MaxNodes} values, {MaxDepth} levels)";
        }
        switch (node)
        {
            case YamlMappingNode map:
                writer.WriteStartObject();
                foreach (var (key, value) in map.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        return $"keys must be strings (at {ChainErrorList.At(key)})";
                    }
                    writer.WritePropertyName(name);
                    if (Write(writer, value, depth + 1, ref budget) is { } problem)
                    {
                        return problem;
                    }
                }
                writer.WriteEndObject();
                return null;
            case YamlSequenceNode list:
                writer.WriteStartArray();
                foreach (var item in list.Children)
                {
                    if (Write(writer, item, depth + 1, ref budget) is { } problem)
                    {
                        return problem;
                    }
                }
                writer.WriteEndArray();
                return null;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar);
                return null;
            default:
                return $"unsupported YAML node at {ChainErrorList.At(node)}";
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            writer.WriteStringValue(text);
        }
        else if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            writer.WriteNullValue();
        }
        else if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            writer.WriteBooleanValue(text[0] is 't' or 'T');
        }
        else if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            writer.WriteNumberValue(integer);
        }
        else if (
            Number().IsMatch(text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
            && double.IsFinite(real)
        )
        {
            writer.WriteNumberValue(real);
        }
        else
        {
            writer.WriteStringValue(text);
        }
    }
}
