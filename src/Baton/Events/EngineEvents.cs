using System.Runtime.InteropServices;
using System.Text.Json;
using Baton.Runs;

namespace Baton.Events;

/// <summary>
/// <c>run.started</c>: the first event of every run; Trigger says what started it when no person did
/// (RunFolder.TriggerFile); Parent, which run's `chain:` agent did (RunFolder.ParentFile).
/// </summary>
public sealed record RunStarted(string Chain, string Run, string? Trigger = null, ParentRun? Parent = null) : EventBody
{
    public override string TypeFor(string? agent) => EventTypes.RunStarted;

    internal override void WriteData(Utf8JsonWriter w)
    {
        w.WriteString("chain", Chain);
        w.WriteString("run", Run);
        EventData.Write(w, "trigger", Trigger);
        if (Parent is { } parent)
        {
            w.WriteStartObject("parent");
            parent.Write(w);
            w.WriteEndObject();
        }
    }
}

/// <summary>
/// The run and `chain:` agent a child run belongs to, and how deep it nests (its parent's depth + 1; a run a
/// person or trigger started is depth 0). Written into the child's folder before it exists (parent.json).
/// </summary>
public sealed record ParentRun(string Run, string Agent, int Depth)
{
    internal void Write(Utf8JsonWriter w)
    {
        w.WriteString("run", Run);
        w.WriteString("agent", Agent);
        w.WriteNumber("depth", Depth);
    }

    internal static ParentRun? Read(EventData d) =>
        d.String("run") is { } run && d.String("agent") is { } agent
            ? new ParentRun(run, agent, d.Int32("depth") ?? 1)
            : null;

    public byte[] ToJson() => JsonMarshal.GetRawUtf8Value(EventJson.Build(Write)).ToArray();

    /// <summary>The parent a child run's parent.json names; null when it is not one.</summary>
    public static ParentRun? FromJson(string json)
    {
        try
        {
            return Read(new EventData(JsonElement.Parse(json)));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary><c>run.cancel</c>: someone asked to cancel (the engine on a signal, or `baton cancel` / the API through the inbox).</summary>
public sealed record RunCancel(string By) : EventBody
{
    public override string TypeFor(string? agent) => EventTypes.RunCancel;

    internal override void WriteData(Utf8JsonWriter w) => w.WriteString("by", By);
}

/// <summary><c>run.stop</c>: a `stop:` agent ended the run (docs/chains.md, Conditions): wound down like a cancel, finished as it stands.</summary>
public sealed record RunStop(string By, string? Reason) : EventBody
{
    public override string TypeFor(string? agent) => EventTypes.RunStop;

    internal override void WriteData(Utf8JsonWriter w)
    {
        w.WriteString("by", By);
        EventData.Write(w, "reason", Reason);
    }
}

/// <summary><c>run.finished</c>: the last event; <c>cost_usd</c> is the run's ledger total (absent when the run could not read it).</summary>
public sealed record RunFinished(RunStatus Status, string? Reason, decimal? CostUsd = null) : EventBody
{
    public override string TypeFor(string? agent) => EventTypes.RunFinished;

    internal override void WriteData(Utf8JsonWriter w)
    {
        w.WriteString("status", Status.Wire());
        EventData.Write(w, "reason", Reason);
        EventData.Write(w, "cost_usd", CostUsd);
    }
}

/// <summary><c>inbox.rejected</c>: an inbox file the engine would not take (moved to inbox/.rejected/), or a refused decision.</summary>
public sealed record InboxRejected(string File, string Reason) : EventBody
{
    public override string TypeFor(string? agent) => EventTypes.InboxRejected;

    internal override void WriteData(Utf8JsonWriter w)
    {
        w.WriteString("file", File);
        w.WriteString("reason", Reason);
    }
}

/// <summary><c>budget.alert</c>: a call took the workspace past 80 % of its monthly budget (once per workspace and month).</summary>
public sealed record BudgetAlerted(string Workspace, decimal SpentUsd, decimal BudgetUsd, decimal Percent) : EventBody
{
    public override string TypeFor(string? agent) => EventTypes.BudgetAlert;

    internal override void WriteData(Utf8JsonWriter w)
    {
        w.WriteString("workspace", Workspace);
        w.WriteNumber("spent_usd", SpentUsd);
        w.WriteNumber("budget_usd", BudgetUsd);
        w.WriteNumber("percent", Percent);
    }
}
