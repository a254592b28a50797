using System.Globalization;
using YamlDotNet.RepresentationModel;
using static Baton.Import.YamlOut;

namespace Baton.Import;

/// <summary>One agent while a Mentiko chain is converted: what it will say in Baton YAML.</summary>
internal sealed class ImportedAgent(string id, string path)
{
    public string Id { get; } = id;
    public string Path { get; } = path;
    public string? Title { get; set; }
    public string? Cli { get; set; }
    public string? Task { get; set; }

    /// <summary>Mentiko's `spec` file, relative to the chain being written; null when it was copied into Task.</summary>
    public string? Spec { get; set; }
    public string? Stop { get; set; }
    public string? OnError { get; set; }
    public string? OnTimeout { get; set; }

    /// <summary>Mentiko's trigger names as written; ResolveTriggers turns them into `On`.</summary>
    public List<string> Triggers { get; } = [];
    public List<string> On { get; } = [];
    public string? Emits { get; set; }
    public List<string> ChosenEvents { get; } = [];
    public string? Timeout { get; set; }
    public YamlMappingNode? Retry { get; set; }
    public int? MaxRounds { get; set; }
    public YamlMappingNode? When { get; set; }
    public (int? Count, List<string> Events, string? Timeout, string Path)? Quorum { get; set; }
    public SortedDictionary<string, string> Env { get; } = new(StringComparer.Ordinal);
    public YamlMappingNode Metadata { get; } = [];

    public YamlMappingNode ToYaml()
    {
        var map = new YamlMappingNode();
        if (Title is not null)
            map.Add("title", Title);
        if (Quorum is { } q)
        {
            var needs = Flow();
            if (q.Count is { } n)
            {
                needs.Add("quorum", n.ToString(CultureInfo.InvariantCulture));
                needs.Add("of", List(q.Events));
            }
            else
                needs.Add("any_of", List(q.Events));
            if (q.Timeout is { } timeout)
                needs.Add("timeout", timeout);
            map.Add("needs", needs);
        }
        else if (On.Count == 0)
            map.Add("needs", List([]));
        if (On.Count > 0)
            map.Add("on", List(On.Distinct()));
        if (When is not null)
            map.Add("when", When.Children.Count == 0 ? new YamlScalarNode("otherwise") : When);
        if (Stop is not null)
            map.Add("stop", Text(Stop));
        else
        {
            map.Add("cli", Cli ?? "claude");
            if (Spec is not null)
                map.Add("spec", Spec);
            if (Task is not null || Spec is null)
                map.Add("task", Text(Task ?? ""));
        }
        if (Emits is not null)
            map.Add("emits", Emits);
        if (ChosenEvents.Count > 0)
            map.Add("emits", List(ChosenEvents));
        if (Timeout is not null)
            map.Add("timeout", Timeout);
        if (Retry is not null)
            map.Add("retry", Retry);
        if (MaxRounds is > 1)
            map.Add("max_rounds", MaxRounds.Value.ToString(CultureInfo.InvariantCulture));
        if (Env.Count > 0)
        {
            var env = new YamlMappingNode();
            foreach (var (key, value) in Env)
                env.Add(key, Text(value));
            map.Add("env", env);
        }
        if (Metadata.Children.Count > 0)
            map.Add("metadata", Metadata);
        return map;
    }
}
