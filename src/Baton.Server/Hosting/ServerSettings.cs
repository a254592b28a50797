namespace Baton.Server.Hosting;

/// <summary>The server operator's settings (command-line options of `baton serve`).</summary>
public sealed record ServerSettings
{
    /// <summary>Process agents (run:, cli:) running at once across all workspaces; shared fairly (AgentSlots). prompt: agents wait at their provider's gate instead.</summary>
    public int AgentSlots { get; init; } = Math.Max(8, Environment.ProcessorCount * 8);

    /// <summary>As root, each workspace's agents run as its own system user (baton-&lt;workspace&gt;).</summary>
    public bool RunAgentsAsWorkspaceUsers { get; init; } = Environment.UserName == "root";

    /// <summary>Ceilings over every workspace's limits and budget, and the defaults for agent memory and processes.</summary>
    public OperatorLimits Limits { get; init; } = new();

    /// <summary>Server environment variables a workspace's baton.yaml may read with ${env:NAME}; none by default.</summary>
    public IReadOnlySet<string> AllowedEnvironment { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Where to send traces and metrics over OTLP/HTTP (protobuf), e.g. http://collector:4318; null: only when the
    /// standard OTEL_EXPORTER_OTLP_* variables say so, else no export (/metrics is always there).
    /// </summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>Agent runners instead of the server's own (ServerEnvironment.Runners): for embedding, tests and bench/ (a fake LLM).</summary>
    public IReadOnlyDictionary<Baton.Chains.AgentKind, Baton.Agents.IAgentRunner>? Runners { get; init; }

    /// <summary>
    /// `notify:` and `alerts.webhook` may reach loopback, private and link-local addresses (`--allow-private-notify`).
    /// Off: a tenant's webhook URL cannot reach the server's own network or a cloud's metadata service (docs/security.md).
    /// </summary>
    public bool AllowPrivateNotify { get; init; }

    /// <summary>The server's address as people open it: `notify:` payloads link a waiting decision to its inbox there.</summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>The clock of the server's own timers: trigger schedules, webhook replay windows (tests pass a fake one).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
