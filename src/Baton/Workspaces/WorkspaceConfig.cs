using Baton.Chains;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Baton.Workspaces;

/// <summary>baton.yaml (SPEC §1). Every key is optional; a missing file means all defaults.</summary>
public sealed record WorkspaceConfig(IReadOnlyDictionary<string, CliTool> Clis)
{
    public static WorkspaceConfig Default { get; } = new(CliTool.BuiltIn);

    public WorkspaceLimits Limits { get; init; } = new();

    private static readonly string[] TopLevelKeys = ["providers", "prices", "limits", "budget", "clis"];

    /// <exception cref="ChainValidationException">The file has errors (each with file:line:col).</exception>
    public static WorkspaceConfig Load(string path)
    {
        if (!File.Exists(path)) return Default;
        var errors = new List<ChainError>();
        var clis = new Dictionary<string, CliTool>(CliTool.BuiltIn, StringComparer.Ordinal);
        try
        {
            var stream = new YamlStream();
            using (var reader = new StringReader(File.ReadAllText(path))) stream.Load(reader);
            if (stream.Documents.Count == 0) return Default;
            if (stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                errors.Add(new ChainError(path, Loc(stream.Documents[0].RootNode), "baton.yaml must be a mapping of settings"));
                throw new ChainValidationException(errors);
            }
            foreach (var (keyNode, value) in root.Children)
            {
                var key = ((YamlScalarNode)keyNode).Value ?? "";
                if (!TopLevelKeys.Contains(key))
                {
                    var hint = KeySuggester.Suggest(key, TopLevelKeys) is { } s ? $"; did you mean '{s}'?" : $" (known: {string.Join(", ", TopLevelKeys)})";
                    errors.Add(new ChainError(path, Loc(keyNode), $"unknown key '{key}'{hint}"));
                }
                else if (key == "clis") ReadClis(path, value, clis, errors);
            }
        }
        catch (YamlException e)
        {
            errors.Add(new ChainError(path, new SourceLocation((int)e.Start.Line, (int)e.Start.Column), e.Message));
        }
        if (errors.Count > 0) throw new ChainValidationException(errors);
        return new WorkspaceConfig(clis);
    }

    private static void ReadClis(string path, YamlNode node, Dictionary<string, CliTool> clis, List<ChainError> errors)
    {
        if (node is not YamlMappingNode map) { errors.Add(new ChainError(path, Loc(node), "'clis' must map a tool name to {command: [...]}")); return; }
        foreach (var (nameNode, toolNode) in map.Children)
        {
            var name = ((YamlScalarNode)nameNode).Value ?? "";
            var command = toolNode is YamlMappingNode tool && tool.Children.TryGetValue(new YamlScalarNode("command"), out var c) ? c : null;
            if (command is YamlSequenceNode seq && seq.Children.Count > 0 && seq.Children.All(x => x is YamlScalarNode { Value.Length: > 0 }))
                clis[name] = new CliTool(name, [.. seq.Children.Select(x => ((YamlScalarNode)x).Value!)]);
            else
                errors.Add(new ChainError(path, Loc(toolNode), $"clis.{name} needs 'command: [program, args...]' (a non-empty list)"));
        }
    }

    private static SourceLocation Loc(YamlNode node) => new((int)node.Start.Line, (int)node.Start.Column);
}

/// <summary>A terminal agent tool; the task is appended as the last argument, with no shell in between.</summary>
public sealed record CliTool(string Name, IReadOnlyList<string> Command)
{
    public static IReadOnlyDictionary<string, CliTool> BuiltIn { get; } = new Dictionary<string, CliTool>(StringComparer.Ordinal)
    {
        ["claude"] = new("claude", ["claude", "-p"]),
        ["codex"] = new("codex", ["codex", "exec"]),
        ["aider"] = new("aider", ["aider", "--yes-always", "--message"]),
    };
}

/// <summary>baton.yaml `limits:` (SPEC §1, §6).</summary>
public sealed record WorkspaceLimits
{
    public TimeSpan? AgentTimeout { get; init; }
}
