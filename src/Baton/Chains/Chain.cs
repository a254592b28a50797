namespace Baton.Chains;

/// <summary>A validated chain definition, immutable once loaded (SPEC §2).</summary>
public sealed record Chain(
    string Name,
    string? Description,
    string SourcePath,
    IReadOnlyList<ChainInput> Inputs,
    IReadOnlyList<AgentSpec> Agents,
    string? Workdir
)
{
    /// <summary>By name, through an index built once per agent list (the engine asks on every hand-off; a chain may have hundreds).</summary>
    public AgentSpec? Agent(string name) =>
        ByName
            .GetValue(Agents, agents => agents.ToDictionary(a => a.Name, StringComparer.Ordinal))
            .GetValueOrDefault(name);

    // Outside the record's fields, so equality and `with` copies are untouched.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<
        IReadOnlyList<AgentSpec>,
        Dictionary<string, AgentSpec>
    > ByName = [];
}

public sealed record ChainInput(string Name, string? Description, string? Default)
{
    public bool Required => Default is null;
}

public enum AgentKind
{
    Run,
    Prompt,
    Cli,
    Decision,
}

/// <summary>
/// One agent of a chain. Exactly one of Script/Prompt/Cli/Decision is set, matching Kind.
/// Needs is the resolved dependency list: explicit `needs`, or the agent written before it when
/// the agent has neither `needs` nor `on` (the implicit sequence), or empty.
/// </summary>
public sealed record AgentSpec(
    string Name,
    AgentKind Kind,
    SourceLocation Location,
    IReadOnlyList<string> Needs,
    IReadOnlyList<string> On,
    string? Emits,
    TimeSpan? Timeout,
    int Retries,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyList<string> Secrets
)
{
    public ScriptSpec? Script { get; init; }
    public PromptSpec? Prompt { get; init; }
    public CliSpec? Cli { get; init; }
    public DecisionSpec? Decision { get; init; }

    /// <summary>Quality checks of each successful attempt's output (docs/monitoring.md); none by default.</summary>
    public IReadOnlyList<Checks.QualityCheck> Checks { get; init; } = [];

    /// <summary>Scripts and CLI tools run as processes: only they get a working folder and inbox/&lt;agent&gt;/ ($BATON_INBOX) to emit events from. LLM calls and decisions touch neither.</summary>
    public bool IsProcess => Kind is AgentKind.Run or AgentKind.Cli;
}

/// <summary>A `run:` script; File is the chain-relative path when the script came from a file.</summary>
public sealed record ScriptSpec(string Text, string? File);

/// <summary>A `prompt:` LLM call. Text is the (unexpanded) template, loaded from File if one was named.</summary>
public sealed record PromptSpec(string Text, string? File, string? System, string Model, string Output, string? Schema);

/// <summary>A `cli:` agent: Tool names an entry of baton.yaml `clis:` (or a built-in); Task is a template.</summary>
public sealed record CliSpec(string Tool, string Task);

public sealed record DecisionSpec(
    string Show,
    IReadOnlyList<Events.Decision> Options,
    string? OnChanges,
    int MaxRounds,
    TimeSpan? Timeout,
    Events.Decision? Default
);

/// <summary>1-based line and column in a YAML file.</summary>
public readonly record struct SourceLocation(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}
