using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Baton.Chains;
using YamlDotNet.RepresentationModel;
using static Baton.Import.YamlOut;

namespace Baton.Import;

public sealed record MentikoImportResult(string Yaml, IReadOnlyList<string> Warnings);

/// <summary>
/// `baton import mentiko FILE.json` (docs/import.md): a Mentiko chain as Baton YAML, unchanged in meaning.
/// Every field Baton does not act on, or acts on differently, is a warning with its JSON path; one it
/// cannot express at all is an error with its path. The result is validated as any chain before it is returned.
/// </summary>
public sealed partial class MentikoImporter
{
    private static readonly HashSet<string> StartTriggers = ["manual-start", "start", "chain-start", "run.started"];
    private static readonly string[] BuiltInClis = ["claude", "codex", "aider"];

    private readonly List<string> _warnings = [];
    private readonly string? _sourceFolder;
    private readonly string? _library;
    private readonly string? _outputPath;
    private readonly List<ImportedAgent> _agents = [];
    private string _defaultCli = "claude";

    private MentikoImporter(string? sourceFolder, string? library, string? outputPath)
    {
        _sourceFolder = sourceFolder;
        _library = library;
        _outputPath = outputPath is null ? null : Path.GetFullPath(outputPath);
    }

    /// <param name="sourceFolder">Folder of the JSON file: `spec` files are read relative to it.</param>
    /// <param name="library">Folder of library agents for `$ref` (NAME.json), if any.</param>
    /// <param name="outputPath">Where the YAML will be written, if to a file: a `spec` file is then named by `spec:` relative to it.</param>
    public static MentikoImportResult Convert(
        string json,
        string? sourceFolder = null,
        string? library = null,
        string? outputPath = null
    )
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new MentikoImportException($"not JSON: {e.Message}");
        }
        if (root is not JsonObject chain)
            throw new MentikoImportException("$: a Mentiko chain is a JSON object");
        var importer = new MentikoImporter(sourceFolder, library, outputPath);
        var yaml = importer.Chain(chain);
        var errors = importer._outputPath is { } target
            ? ChainLoader.Validate(target, yaml, ChainFiles.Reader(target, ChainFiles.FindRoot(target)))
            : ChainLoader.Validate("imported.yaml", yaml, _ => null);
        if (errors.Count > 0)
            throw new MentikoImportException(
                "the converted chain does not validate:\n"
                    + string.Join("\n", errors.Select(e => $"  {e}"))
                    + "\n"
                    + yaml
            );
        return new MentikoImportResult(yaml, importer._warnings);
    }

    private void Warn(string path, string message) => _warnings.Add($"{path}: {message}");

    private string Chain(JsonObject chain)
    {
        var root = new YamlMappingNode();
        var metadata = new YamlMappingNode();
        var id = Str(chain, "id", "$")
            ?? Str(chain, "name", "$")
            ?? throw new MentikoImportException("$.name: missing");
        var name = Slug(id);
        root.Add("name", name);
        if (Str(chain, "name", "$") is { } display && display != name)
            root.Add("title", display);
        if (Str(chain, "description", "$") is { } description)
            root.Add("description", Text(description));
        int? maxRounds = null;
        if (chain["default_agent_profile"] is JsonValue profile)
        {
            _defaultCli = CliFor(profile.ToString(), "$.default_agent_profile");
            metadata.Add("default_agent_profile", profile.ToString());
        }
        if (chain["config"] is JsonObject config)
            foreach (var (key, value) in config)
            {
                var path = $"$.config.{key}";
                if (key == "max_rounds")
                    maxRounds = Int(value, path);
                else
                {
                    Warn(path, "kept under metadata; Baton does not act on it");
                    metadata.Add($"config.{key}", Scalar(value));
                }
            }
        foreach (var (key, value) in chain)
        {
            switch (key)
            {
                case "id" or "name" or "description" or "config" or "agents" or "routing" or "branches":
                case "default_agent_profile":
                    break;
                case "version":
                    metadata.Add("version", Text(value?.ToString() ?? ""));
                    break;
                case "metadata":
                    metadata.Add("mentiko", Scalar(value));
                    break;
                default:
                    Warn($"$.{key}", "dropped (kept under metadata); Baton does not act on it");
                    metadata.Add(key, Scalar(value));
                    break;
            }
        }
        if (chain["agents"] is not JsonArray agents || agents.Count == 0)
            throw new MentikoImportException("$.agents: a chain needs a list of agents");
        for (var i = 0; i < agents.Count; i++)
            _agents.Add(Agent(Resolve(agents[i], $"$.agents[{i}]"), $"$.agents[{i}]"));
        ResolveTriggers();
        if (chain["routing"] is JsonObject routing)
            Routing(routing);
        if (chain["branches"] is JsonObject branches)
            Branches(branches);
        if (maxRounds > 1)
            root.Add("max_rounds", maxRounds.Value.ToString(CultureInfo.InvariantCulture));
        if (metadata.Children.Count > 0)
            root.Add("metadata", metadata);
        var agentsNode = new YamlMappingNode();
        foreach (var agent in _agents)
            agentsNode.Add(agent.Id, agent.ToYaml());
        root.Add("agents", agentsNode);
        return Write(root);
    }

    /// <summary>`{"$ref": "name"}`: the library agent NAME.json, with this entry's own fields over it.</summary>
    private JsonObject Resolve(JsonNode? node, string path)
    {
        if (node is not JsonObject agent)
            throw new MentikoImportException($"{path}: an agent is a JSON object");
        if (agent["$ref"] is not JsonValue reference)
            return agent;
        Warn($"{path}.$ref", $"library agent '{reference}' copied in, this entry's own fields over it");
        if (_library is null)
            throw new MentikoImportException(
                $"{path}.$ref: '{reference}' names a library agent; give the library folder (--library DIR)"
            );
        var file = Path.Combine(
            _library,
            reference.ToString().EndsWith(".json") ? reference.ToString() : $"{reference}.json"
        );
        if (!File.Exists(file))
            throw new MentikoImportException($"{path}.$ref: no library agent '{reference}' ({file})");
        if (JsonNode.Parse(File.ReadAllText(file)) is not JsonObject library)
            throw new MentikoImportException($"{path}.$ref: {file} is not a JSON object");
        foreach (var (key, value) in agent)
            if (key != "$ref")
                library[key] = value?.DeepClone();
        return library;
    }

    /// <summary>A JSON value for metadata: a string as itself, anything else as its JSON text.</summary>
    internal static YamlScalarNode Scalar(JsonNode? value) =>
        Text(value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "null");

    private static string Slug(string id)
    {
        var slug = SlugInvalid().Replace(id.ToLowerInvariant().Replace(' ', '-').Replace('_', '-'), "").Trim('-');
        return slug.Length == 0 ? "imported" : slug[..Math.Min(slug.Length, 63)];
    }

    private static string AgentSlug(string id)
    {
        var slug = Slug(id);
        return char.IsAsciiLetterLower(slug[0]) ? slug : $"a-{slug}"[..Math.Min(slug.Length + 2, 63)];
    }

    private string CliFor(string profile, string path)
    {
        var cli = BuiltInClis.FirstOrDefault(c => profile.StartsWith(c, StringComparison.OrdinalIgnoreCase));
        if (cli is null)
        {
            Warn(
                path,
                $"agent profile '{profile}' is not a Baton CLI tool; its agents run 'claude' (add it under clis: in baton.yaml and change cli:)"
            );
            return "claude";
        }
        if (cli != profile)
            Warn(path, $"agent profile '{profile}' runs as cli: {cli} (the model is the tool's own setting)");
        return cli;
    }

    private static string? Str(JsonObject obj, string key, string path) =>
        obj[key] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            var other => throw new MentikoImportException(
                $"{path}.{key}: expected a string, got {other.ToJsonString()}"
            ),
        };

    private static int Int(JsonNode? node, string path) =>
        node is JsonValue v && v.TryGetValue<int>(out var i)
            ? i
            : throw new MentikoImportException(
                $"{path}: expected a whole number, got {node?.ToJsonString() ?? "null"}"
            );

    private static string Seconds(JsonNode? node, string path)
    {
        if (node is JsonValue v && v.TryGetValue<double>(out var s) && s >= 0)
            return s == Math.Floor(s) ? $"{(long)s}s" : $"{(long)Math.Round(s * 1000)}ms";
        throw new MentikoImportException($"{path}: expected seconds (a number), got {node?.ToJsonString() ?? "null"}");
    }

    [GeneratedRegex("[^a-z0-9-]")]
    private static partial Regex SlugInvalid();
}
