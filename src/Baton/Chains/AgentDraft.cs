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

    /// <summary>`retry: {delay, max_delay, multiplier}`; null = the engine's default backoff (with jitter).</summary>
    public RetryBackoff? Backoff { get; set; }

    /// <summary>Where `retries` or `retry` was written: both is an error.</summary>
    public YamlScalarNode? RetryKey { get; set; }

    /// <summary>How often the agent may run in one run (loops); null = the chain's max_rounds, else 1.</summary>
    public int? MaxRounds { get; set; }

    /// <summary>Where the agent's own max_rounds was written, if it was.</summary>
    public YamlNode? MaxRoundsNode { get; set; }

    /// <summary>`needs: {quorum: N, of: [...]}` / `{any_of: [...]}`: events, a bare agent name already turned into its `done`.</summary>
    public QuorumDraft? Quorum { get; set; }

    /// <summary>`emits: [a, b]`: events the agent itself emits (`baton emit a` → `&lt;agent&gt;.a`).</summary>
    public List<string> ChosenEvents { get; } = [];

    /// <summary>`emits: {events: [...], required: true}`: done only if it emitted one of them.</summary>
    public bool EmitsRequired { get; set; }

    public string? Title { get; set; }

    /// <summary>`workdir:` of this agent (run and cli agents); null = the chain's.</summary>
    public string? Workdir { get; set; }

    public Condition? When { get; set; }
    public YamlNode? WhenNode { get; set; }

    /// <summary>A `stop:` agent's reason: starting it ends the run.</summary>
    public string? Stop { get; set; }

    public Dictionary<string, string> Env { get; } = new(StringComparer.Ordinal);
    public List<string> Secrets { get; } = [];

    public ScriptSpec? Script { get; set; }
    public PromptSpec? Prompt { get; set; }
    public CliSpec? Cli { get; set; }
    public DecisionSpec? Decision { get; set; }
    public SubChainSpec? SubChain { get; set; }
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
            SubChain = SubChain,
            Checks = Checks,
            MaxRounds = MaxRounds ?? 1,
            When = When,
            Title = Title,
            Backoff = Backoff,
            ChosenEvents = ChosenEvents,
            EmitsRequired = EmitsRequired,
            Quorum = Quorum is { } q ? new Quorum(q.Count, [.. q.Of.Select(o => o.Event)], q.Timeout) : null,
            Stop = Stop,
            Workdir = Workdir,
        };
}
