using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Baton.Import;

/// <summary>Builds the YAML of an imported chain through YamlDotNet's emitter, so every value is quoted as YAML needs.</summary>
internal static class YamlOut
{
    public static YamlScalarNode Text(string text) =>
        new(text) { Style = text.Contains('\n') ? ScalarStyle.Literal : ScalarStyle.Any };

    public static YamlSequenceNode List(IEnumerable<string> items) =>
        new(items.Select(i => (YamlNode)Text(i))) { Style = YamlDotNet.Core.Events.SequenceStyle.Flow };

    public static YamlMappingNode Flow(params (string Key, YamlNode Value)[] entries)
    {
        var map = new YamlMappingNode { Style = YamlDotNet.Core.Events.MappingStyle.Flow };
        foreach (var (key, value) in entries)
            map.Add(key, value);
        return map;
    }

    public static string Write(YamlMappingNode root)
    {
        using var text = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(text, assignAnchors: false);
        var yaml = text.ToString();
        return yaml.EndsWith("...\n", StringComparison.Ordinal) ? yaml[..^4] : yaml;
    }
}
