using Baton.Chains;
using Baton.Runs;
using Baton.Workspaces;

namespace Baton.Agents;

/// <summary>What one attempt of one agent gets to work with.</summary>
public sealed record AgentContext(
    Workspace Workspace,
    RunFolder Run,
    Chain Chain,
    AgentSpec Agent,
    int Attempt,
    string AgentDir,
    string WorkDir,
    IReadOnlyDictionary<string, string> Environment,
    Func<string, string> RenderTemplate,
    TimeSpan KillGrace
)
{
    public string OutputFile => Path.Combine(AgentDir, "output");
    public string StdoutFile => Path.Combine(AgentDir, "stdout.log");
    public string StderrFile => Path.Combine(AgentDir, "stderr.log");

    /// <summary>
    /// Writes an in-process agent's output (an LLM reply: kilobytes) in two system calls on this
    /// thread, rather than an async file write's FileStream and thread-pool round trip.
    /// </summary>
    public void WriteOutput(string text) =>
        Libc.CreateAndWrite(OutputFile, System.Text.Encoding.UTF8.GetBytes(text)).Dispose();

    /// <summary>Something a person should see once (e.g. which LLM provider `default` fell back to).</summary>
    public Action<string>? Warn { get; init; }

    /// <summary>The values of the secrets this agent declared: masked in its logs and output once it exits.</summary>
    public Secrets.SecretMasker Masker { get; init; } = Secrets.SecretMasker.Empty;

    /// <summary>Text as it streams in (an LLM reply), for a live view; never recorded as an event.</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>Lets an agent have the engine append an event to the run (e.g. budget.alert); null outside an engine.</summary>
    public Action<Events.EventBody>? Alert { get; init; }

    /// <summary>This attempt follows one an engine stop interrupted (a `chain:` agent then re-attaches to its child).</summary>
    public bool Resumed { get; init; }

    /// <summary>Outbound webhooks (the budget alert) may reach private addresses (EngineOptions.AllowPrivateWebhooks).</summary>
    public bool AllowPrivateWebhooks { get; init; } = true;

    /// <summary>Where a `chain:` agent's child runs come from; null outside an engine.</summary>
    public Runs.ChildRuns? Children { get; init; }

    /// <summary>The user and limits the agent's process runs under (the server sets them); null: the engine's own.</summary>
    public Isolation.AgentIsolation? Isolation { get; init; }

    /// <summary>The engine's clock (EngineOptions.Time): which month a budget counts, so a test can move it.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// The outcome of one attempt. A failed agent is a result, not an exception (STYLE §4): runners
/// return Failed with a reason a person can act on, and the engine writes it into the failed event.
/// </summary>
public sealed record AgentResult(bool Succeeded, string? Reason = null, int? ExitCode = null, string? Message = null)
{
    /// <summary>What the attempt's LLM calls cost (prompt agents); null for agents that make none.</summary>
    public decimal? CostUsd { get; init; }
    public Costs.TokenUsage? Tokens { get; init; }

    public static AgentResult Success(int? exitCode = 0) => new(true, ExitCode: exitCode);

    public static AgentResult Failed(string reason, string message, int? exitCode = null) =>
        new(false, reason, exitCode, message);
}

public interface IAgentRunner
{
    /// <summary>Runs one attempt. Cancellation (timeout or run cancel) stops it and returns a failed result.</summary>
    Task<AgentResult> RunAsync(AgentContext context, CancellationToken cancellationToken);
}
