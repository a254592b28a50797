using System.Text.Json;

namespace Baton.Events;

/// <summary><c>&lt;agent&gt;.started</c>: an attempt began; <c>resumed</c> when re-run after an engine stopped.</summary>
public sealed record AgentStarted(bool Resumed = false) : AgentEventBody
{
    public override string Suffix => EventTypes.Started;

    internal override void WriteData(Utf8JsonWriter w)
    {
        if (Resumed)
            w.WriteBoolean("resumed", true);
    }
}

/// <summary>What an attempt's LLM calls cost (prompt agents); all null for agents that make none.</summary>
public readonly record struct CallCost(decimal? CostUsd, long? InputTokens, long? OutputTokens)
{
    internal void Write(Utf8JsonWriter w)
    {
        EventData.Write(w, "cost_usd", CostUsd);
        EventData.Write(w, "input_tokens", InputTokens);
        EventData.Write(w, "output_tokens", OutputTokens);
    }

    internal static CallCost Read(EventData d) =>
        new(d.Decimal("cost_usd"), d.Int64("input_tokens"), d.Int64("output_tokens"));
}

/// <summary>
/// <c>&lt;agent&gt;.done</c>: the attempt succeeded. A process or prompt agent has <c>bytes</c> and <c>exit_code</c>
/// (and its cost); an approved decision has <c>decision: approve</c> instead.
/// </summary>
public sealed record AgentDone(
    string Output,
    long? Bytes = null,
    int? ExitCode = null,
    CallCost Cost = default,
    Decision? Decision = null
) : AgentEventBody
{
    public override string Suffix => EventTypes.Done;

    internal override void WriteData(Utf8JsonWriter w)
    {
        w.WriteString("output", Output);
        EventData.Write(w, "bytes", Bytes);
        EventData.Write(w, "exit_code", ExitCode);
        Cost.Write(w);
        if (Decision is { } decision)
            w.WriteString("decision", decision.Wire());
    }
}

/// <summary>
/// <c>&lt;agent&gt;.failed</c>: the attempt failed. <c>reason</c> is a short word (exit, timeout, spawn, io, config, disk,
/// check, …); <c>retry</c> and <c>retry_in_ms</c> are there when another attempt follows, <c>feedback</c> (its
/// {{ feedback }}) when a failed <c>on_fail: retry</c> check asked for it.
/// </summary>
public sealed record AgentFailed(
    string Reason,
    string? Message,
    int? ExitCode = null,
    long? RetryInMs = null,
    CallCost Cost = default,
    string? Feedback = null
) : AgentEventBody
{
    public override string Suffix => EventTypes.Failed;

    /// <summary>Another attempt follows (after RetryInMs).</summary>
    public bool Retry => RetryInMs is not null;

    internal override void WriteData(Utf8JsonWriter w)
    {
        w.WriteString("reason", Reason);
        EventData.Write(w, "message", Message);
        EventData.Write(w, "exit_code", ExitCode);
        if (RetryInMs is { } delay)
        {
            w.WriteBoolean("retry", true);
            w.WriteNumber("retry_in_ms", delay);
        }
        Cost.Write(w);
        EventData.Write(w, "feedback", Feedback);
    }
}

/// <summary>
/// <c>&lt;agent&gt;.checked</c>: one quality check of a successful attempt's output (docs/monitoring.md), written
/// before the attempt's <c>done</c> (or its <c>failed</c>, reason <c>check</c>, when a fail/retry check failed).
/// </summary>
public sealed record AgentChecked(string Check, bool Passed, double Score, string Message, string OnFail, double Weight)
    : AgentEventBody
{
    public override string Suffix => EventTypes.Checked;

    internal override void WriteData(Utf8JsonWriter w)
    {
        w.WriteString("check", Check);
        w.WriteBoolean("passed", Passed);
        w.WriteNumber("score", Score);
        w.WriteString("message", Message);
        w.WriteString("on_fail", OnFail);
        w.WriteNumber("weight", Weight);
    }
}

/// <summary><c>&lt;agent&gt;.skipped</c>: it will not run (a need failed, the run was cancelled, its events never came).</summary>
public sealed record AgentSkipped(string Reason) : AgentEventBody
{
    public override string Suffix => EventTypes.Skipped;

    internal override void WriteData(Utf8JsonWriter w) => w.WriteString("reason", Reason);
}

/// <summary><c>&lt;agent&gt;.cancelled</c>: stopped because the run was cancelled.</summary>
public sealed record AgentCancelled : AgentEventBody
{
    public override string Suffix => EventTypes.Cancelled;

    internal override void WriteData(Utf8JsonWriter w) { }
}

/// <summary>
/// A chain's <c>emits: NAME</c>: written by the engine after the agent's <c>done</c>, its type is NAME itself.
/// Read back from a file, an event with an agent whose type is not <c>&lt;agent&gt;.…</c> is one of these.
/// </summary>
public sealed record Emitted(string Name, string From) : EventBody
{
    public override string TypeFor(string? agent) => Name;

    internal override void WriteData(Utf8JsonWriter w) => w.WriteString("from", From);
}
