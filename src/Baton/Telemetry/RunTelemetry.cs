using System.Diagnostics;
using Baton.Agents;
using Baton.Chains;
using Baton.Runs;

namespace Baton.Telemetry;

/// <summary>
/// A trace per run: a `run {chain}` span for each engine pass over it (a run paused at a decision has no
/// engine, so its resumption is a second trace with the same baton.run.id), a span per agent attempt under
/// it, and the LLM calls' spans under those (LlmCallTelemetry).
/// </summary>
internal static class RunTelemetry
{
    public static Activity? StartRun(string workspaceRoot, string chain, string runId)
    {
        // A run is its own trace, not a child of the HTTP request that happened to start it.
        Activity.Current = null;
        var span = BatonTelemetry.Source.StartActivity($"run {chain}");
        span?.SetTag("baton.workspace", Path.GetFileName(workspaceRoot));
        span?.SetTag("baton.chain", chain);
        span?.SetTag("baton.run.id", runId);
        return span;
    }

    public static void EndRun(Activity? span, Runs.RunStatus status)
    {
        if (span is null)
            return;
        span.SetTag("baton.run.status", status.Wire());
        if (status == Runs.RunStatus.Failed)
            span.SetStatus(ActivityStatusCode.Error, status.Wire());
        span.Dispose();
    }

    public static Activity? StartAgent(ActivityContext run, AgentSpec agent, int attempt, string runId)
    {
        var span = BatonTelemetry.Source.StartActivity($"agent {agent.Name}", ActivityKind.Internal, run);
        span?.SetTag("baton.agent", agent.Name);
        span?.SetTag("baton.agent.kind", agent.Kind.ToString().ToLowerInvariant());
        span?.SetTag("baton.attempt", attempt);
        span?.SetTag("baton.run.id", runId);
        return span;
    }

    public static void EndAgent(Activity? span, AgentResult result)
    {
        if (span is null)
            return;
        if (result.CostUsd is { } usd)
            span.SetTag("baton.cost_usd", (double)usd);
        if (!result.Succeeded)
        {
            span.SetTag("error.type", result.Reason ?? "error");
            span.SetStatus(ActivityStatusCode.Error, result.Reason);
        }
        span.Dispose();
    }
}
