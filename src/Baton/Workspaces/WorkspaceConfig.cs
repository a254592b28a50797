using Baton.Chains;
using Baton.Costs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Baton.Workspaces;

/// <summary>
/// baton.yaml (SPEC §1). Every key is optional; a missing file means all defaults. Sections are
/// parsed in partial files by concern (.Llm: providers, prices, budget; .Limits).
/// </summary>
public sealed partial record WorkspaceConfig(IReadOnlyDictionary<string, CliTool> Clis)
{
    public static WorkspaceConfig Default { get; } = new(CliTool.BuiltIn);

    public WorkspaceLimits Limits { get; init; } = new();

    /// <summary>Provider aliases as written; an agent's `model:` names one (see Providers.ProviderResolver).</summary>
    public IReadOnlyDictionary<string, ProviderConfig> Providers { get; init; } =
        new Dictionary<string, ProviderConfig>(StringComparer.Ordinal);

    /// <summary>`prices:` overrides of the built-in price table, by model name.</summary>
    public IReadOnlyDictionary<string, ModelPrice> Prices { get; init; } =
        new Dictionary<string, ModelPrice>(StringComparer.Ordinal);

    public WorkspaceBudget? Budget { get; init; }

    /// <summary>
    /// `review: required`: on a server, a PUT of a chain, prompt file or case file stages it, and only a
    /// promotion approved by someone else makes it production (docs/prompts.md, Review and promotion).
    /// </summary>
    public bool ReviewRequired { get; init; }

    private static readonly string[] TopLevelKeys =
    [
        "providers",
        "prices",
        "limits",
        "budget",
        "clis",
        "alerts",
        "review",
    ];

    /// <exception cref="ChainValidationException">The file has errors (each with file:line:col).</exception>
    public static WorkspaceConfig Load(string path) =>
        File.Exists(path) ? Parse(path, File.ReadAllText(path)) : Default;

    /// <param name="path">Named in errors.</param>
    /// <exception cref="ChainValidationException">The text has errors (each with file:line:col).</exception>
    public static WorkspaceConfig Parse(string path, string text)
    {
        var errors = new ChainErrorList(path);
        var read = new YamlReader(errors);
        var clis = new Dictionary<string, CliTool>(CliTool.BuiltIn, StringComparer.Ordinal);
        var config = Default;
        try
        {
            var stream = new YamlStream();
            using (var reader = new StringReader(text))
                stream.Load(reader);
            if (stream.Documents.Count == 0 || YamlReader.IsNull(stream.Documents[0].RootNode))
                return Default;
            if (stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                errors.Add(stream.Documents[0].RootNode, "baton.yaml must be a mapping of settings");
                throw new ChainValidationException(errors.ToList());
            }
            foreach (var (keyNode, key, value) in read.Entries(root, "baton.yaml"))
            {
                switch (key)
                {
                    case "clis":
                        ReadClis(value, clis, errors);
                        break;
                    case "providers":
                        config = config with { Providers = ReadProviders(read, value) };
                        break;
                    case "prices":
                        config = config with { Prices = ReadPrices(read, value) };
                        break;
                    case "limits":
                        config = config with { Limits = ReadLimits(read, value) };
                        break;
                    case "budget":
                        config = config with { Budget = ReadBudget(read, value) };
                        break;
                    case "alerts":
                        config = config with { Alerts = ReadAlerts(read, value) };
                        break;
                    case "review":
                        var review = read.Text(value, "review");
                        if (review is not (null or "required" or "optional"))
                            errors.Add(value, $"review is 'required' or 'optional', not '{review}'");
                        config = config with { ReviewRequired = review == "required" };
                        break;
                    default:
                        var hint = KeySuggester.Suggest(key, TopLevelKeys) is { } s
                            ? $"; did you mean '{s}'?"
                            : $" (known: {string.Join(", ", TopLevelKeys)})";
                        errors.Add(keyNode, $"unknown key '{key}'{hint}");
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            errors.Add(e.Start, e.Message);
        }
        if (errors.Count > 0)
            throw new ChainValidationException(errors.ToList());
        return config with { Clis = clis };
    }

    private static void ReadClis(YamlNode node, Dictionary<string, CliTool> clis, ChainErrorList errors)
    {
        if (node is not YamlMappingNode map)
        {
            errors.Add(node, "'clis' must map a tool name to {command: [...]}");
            return;
        }
        foreach (var (nameNode, toolNode) in map.Children)
        {
            var name = ((YamlScalarNode)nameNode).Value ?? "";
            var command =
                toolNode is YamlMappingNode tool && tool.Children.TryGetValue(new YamlScalarNode("command"), out var c)
                    ? c
                    : null;
            if (
                command is YamlSequenceNode seq
                && seq.Children.Count > 0
                && seq.Children.All(x => x is YamlScalarNode { Value.Length: > 0 })
            )
                clis[name] = new CliTool(name, [.. seq.Children.Select(x => ((YamlScalarNode)x).Value!)]);
            else
                errors.Add(toolNode, $"clis.{name} needs 'command: [program, args...]' (a non-empty list)");
        }
    }
}

/// <summary>A terminal agent tool; the task is appended as the last argument, with no shell in between.</summary>
public sealed record CliTool(string Name, IReadOnlyList<string> Command)
{
    public static IReadOnlyDictionary<string, CliTool> BuiltIn { get; } =
        new Dictionary<string, CliTool>(StringComparer.Ordinal)
        {
            ["claude"] = new("claude", ["claude", "-p"]),
            ["codex"] = new("codex", ["codex", "exec"]),
            ["aider"] = new("aider", ["aider", "--yes-always", "--message"]),
        };
}
