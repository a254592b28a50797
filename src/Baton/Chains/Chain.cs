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
    /// <summary>`title:`: a display name with spaces and capitals ("Daily Digest"); Name stays the id.</summary>
    public string? Title { get; init; }

    /// <summary>
    /// What only `baton run` accepts and a server refuses (an absolute workdir), as errors at their file:line:col;
    /// empty for most chains. The server reports them as validation errors (docs/security.md).
    /// </summary>
    public IReadOnlyList<ChainError> ServerErrors { get; init; } = [];

    /// <summary>What starts runs of this chain on a server besides a person (docs/chains.md, Triggers).</summary>
    public IReadOnlyList<TriggerSpec> Triggers { get; init; } = [];

    /// <summary>Webhooks told when a run finishes, fails or waits for a decision (docs/chains.md, Notifications).</summary>
    public IReadOnlyList<NotifyTarget> Notify { get; init; } = [];

    /// <summary>`canary:`: when the server runs the chain's test cases to watch for drift (docs/monitoring.md, Prompt drift).</summary>
    public CanarySpec? Canary { get; init; }

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

/// <summary>`canary: "0 6 * * *"` or `canary: {schedule, judge}`: Judge is the model alias that scores similarity (else a lexical measure).</summary>
public sealed record CanarySpec(string Schedule, string? Judge);

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

    /// <summary>`stop: reason`: starting it ends the run, succeeded (docs/chains.md, Conditions).</summary>
    Stop,

    /// <summary>`chain: NAME`: runs another chain of the workspace as a child run (docs/chains.md, Sub-chains).</summary>
    Chain,
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
    public SubChainSpec? SubChain { get; init; }

    /// <summary>Quality checks of each successful attempt's output (docs/monitoring.md); none by default.</summary>
    public IReadOnlyList<Checks.QualityCheck> Checks { get; init; } = [];

    /// <summary>How many rounds the agent may run in one run: more than 1 lets a later `on:` event start it again (a loop).</summary>
    public int MaxRounds { get; init; } = 1;

    /// <summary>`when:`: the test an `on:` event must pass to start the agent; null = any occurrence starts it.</summary>
    public Condition? When { get; init; }

    /// <summary>`emits: [a, b]`: events the agent emits itself, as `&lt;agent&gt;.a` (docs/chains.md, Agent-chosen events).</summary>
    public IReadOnlyList<string> ChosenEvents { get; init; } = [];

    /// <summary>`required: true`: a successful exit without one of ChosenEvents is a failure (retried like any).</summary>
    public bool EmitsRequired { get; init; }

    /// <summary>`retry: {delay, max_delay, multiplier}`: exact delays before each retry; null = the engine's default (RetryBaseDelay doubling, with jitter).</summary>
    public RetryBackoff? Backoff { get; init; }

    /// <summary>`title:`: the agent's display name; Name stays its id.</summary>
    public string? Title { get; init; }

    /// <summary>`workdir:` of this agent: it works there instead of the chain's working folder; null = the chain's.</summary>
    public string? Workdir { get; init; }

    /// <summary>A `stop:` agent's reason.</summary>
    public string? Stop { get; init; }

    /// <summary>`needs: {quorum: N, of: [...], timeout}`: starts once N of those events occurred.</summary>
    public Quorum? Quorum { get; init; }

    /// <summary>Scripts and CLI tools run as processes: only they get a working folder and inbox/&lt;agent&gt;/ ($BATON_INBOX) to emit events from. LLM calls and decisions touch neither.</summary>
    public bool IsProcess => Kind is AgentKind.Run or AgentKind.Cli;
}

/// <summary>A `run:` script; File is the chain-relative path when the script came from a file.</summary>
public sealed record ScriptSpec(string Text, string? File);

/// <summary>A `prompt:` LLM call. Text is the (unexpanded) template, loaded from File if one was named.</summary>
public sealed record PromptSpec(string Text, string? File, string? System, string Model, string Output, string? Schema);

/// <summary>
/// A `cli:` agent: Tool names an entry of baton.yaml `clis:` (or a built-in); Task is the template the tool is
/// given: the `spec:` file's text, then (after a blank line) the `task:`, whichever are written.
/// </summary>
public sealed record CliSpec(string Tool, string Task)
{
    /// <summary>`spec:`: the prompt file's chain-relative path; copied into the run's prompts/ like a prompt file.</summary>
    public string? SpecFile { get; init; }

    /// <summary>The spec file's text as loaded.</summary>
    public string? SpecText { get; init; }
}

/// <summary>
/// `chain: NAME` with `inputs:` (templates, filled when the agent starts) and `output_from:` (an agent of the
/// child whose output becomes this agent's; null: the child's last agent to finish). Location: the `chain:` value.
/// </summary>
public sealed record SubChainSpec(
    string Chain,
    IReadOnlyDictionary<string, string> Inputs,
    string? OutputFrom,
    SourceLocation Location
);

public sealed record DecisionSpec(
    string Show,
    IReadOnlyList<Events.Decision> Options,
    string? OnChanges,
    int MaxRounds,
    TimeSpan? Timeout,
    Events.Decision? Default
);

/// <summary>`needs: {quorum: Count, of: Of, timeout: Timeout}` (docs/chains.md, Quorum); `any_of` is a quorum of 1.</summary>
public sealed record Quorum(int Count, IReadOnlyList<string> Of, TimeSpan? Timeout);

/// <summary>Delay before retry n (1-based): Delay × Multiplier^(n-1), at most MaxDelay; no jitter, as written.</summary>
public sealed record RetryBackoff(TimeSpan Delay, TimeSpan? MaxDelay, double Multiplier)
{
    public TimeSpan Before(int retry)
    {
        var ms = Delay.TotalMilliseconds * Math.Pow(Multiplier, retry - 1);
        if (MaxDelay is { } cap)
            ms = Math.Min(ms, cap.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Min(ms, TimeSpan.FromDays(1).TotalMilliseconds));
    }
}

/// <summary>1-based line and column in a YAML file.</summary>
public readonly record struct SourceLocation(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}
