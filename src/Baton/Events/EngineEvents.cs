using System.Text.Json;
using Baton.Runs;

namespace Baton.Events;

/// <summary><c>run.started</c>: the first event of every run; Trigger says what started it when no person did (RunFolder.TriggerFile).</summary>
public sealed record RunStarted(string Chain, string Run, string? Trigger = null) : EventBody
{
    public override string TypeFor(string? agent) => EventTypes.RunStarted;

    internal override void WriteData(Utf8JsonWriter w)
    {
        w.WriteString("chain", Chain);
        w.WriteString("run", Run);
        EventData.Write(w, "trigger", Trigger);
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
