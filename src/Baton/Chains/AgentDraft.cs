using YamlDotNet.RepresentationModel;

namespace Baton.Chains;

/// <summary>
/// An agent while the chain is being loaded: the parsed values plus the YAML nodes they came
/// from, so the graph and template checks can point at the right line after parsing.
/// </summary>
internal sealed class AgentDraft(string name, YamlScalarNode keyNode, int index)
{
    public string Name { get; } = name;
    public YamlScalarNode KeyNode { get; } = keyNode;
    public int Index { get; } = index;
    public SourceLocation Location => ChainErrorList.At(KeyNode);

    public AgentKind? Kind { get; set; }

    /// <summary>Null when `needs` was not written (the implicit-sequence rule then applies).</summary>
    public List<(string Name, YamlNode Node)>? ExplicitNeeds { get; set; }

    /// <summary>Null when `on` was not written.</summary>
    public List<(string Event, YamlNode Node)>? On { get; set; }

    public string? Emits { get; set; }
    public TimeSpan? Timeout { get; set; }
    public int Retries { get; set; }
    public Dictionary<string, string> Env { get; } = new(StringComparer.Ordinal);
    public List<string> Secrets { get; } = [];

    public ScriptSpec? Script { get; set; }
    public PromptSpec? Prompt { get; set; }
    public CliSpec? Cli { get; set; }
    public DecisionSpec? Decision { get; set; }
    public List<Checks.QualityCheck> Checks { get; set; } = [];

    /// <summary>Template texts to check once the graph is known: what, text, where to report.</summary>
    public List<(string What, string Text, YamlNode Node)> Templates { get; } = [];

    /// <summary>Filled by ChainGraph.</summary>
    public List<string> Needs { get; set; } = [];

    public AgentSpec ToSpec() =>
        new(
            Name,
            Kind!.Value,
            Location,
            Needs,
            On?.Select(o => o.Event).ToList() ?? [],
            Emits,
            Timeout,
            Retries,
            Env,
            Secrets
        )
        {
            Script = Script,
            Prompt = Prompt,
            Cli = Cli,
            Decision = Decision,
            Checks = Checks,
        };
}
