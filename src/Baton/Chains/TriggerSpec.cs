namespace Baton.Chains;

/// <summary>
/// One entry of a chain's `triggers:` (docs/chains.md, Triggers): what starts a run of the chain without
/// anyone asking. Inputs maps chain inputs to trigger templates (TriggerTemplate): `{{ body.x }}`,
/// `{{ file.path }}`, `{{ after.run_id }}`; a chain input not mapped gets its default.
/// </summary>
public abstract record TriggerSpec(SourceLocation Location, IReadOnlyDictionary<string, string> Inputs)
{
    /// <summary>The kind as written in YAML (schedule, webhook, file, after).</summary>
    public abstract string Kind { get; }

    /// <summary>What the trigger watches, as one line: the cron expression, the secret, the glob, the chain.</summary>
    public abstract string Describe();
}

public enum CatchUp
{
    /// <summary>Firings missed while the server was down are skipped.</summary>
    None,

    /// <summary>The latest missed firing runs once when the server is back.</summary>
    Last,
}

/// <summary>`schedule:` — a cron expression (5 fields, or 6 with seconds first) in a time zone (UTC by default).</summary>
public sealed record ScheduleTrigger(
    SourceLocation Location,
    IReadOnlyDictionary<string, string> Inputs,
    string Cron,
    string TimeZone,
    CatchUp CatchUp
) : TriggerSpec(Location, Inputs)
{
    public override string Kind => "schedule";

    public override string Describe() => TimeZone == "UTC" ? Cron : $"{Cron} ({TimeZone})";

    public Cronos.CronExpression Expression => ScheduleTimes.Parse(Cron);

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>The first firing strictly after `after`.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => Expression.GetNextOccurrence(after, Zone);
}

/// <summary>`webhook: SECRET` — POST /hooks/{workspace}/{chain}, signed with the workspace secret of that name.</summary>
public sealed record WebhookTrigger(SourceLocation Location, IReadOnlyDictionary<string, string> Inputs, string Secret)
    : TriggerSpec(Location, Inputs)
{
    public override string Kind => "webhook";

    public override string Describe() => $"signed with secret {Secret}";
}

/// <summary>`file: GLOB` — a file that appears under the workspace's drop/ folder.</summary>
public sealed record FileTrigger(SourceLocation Location, IReadOnlyDictionary<string, string> Inputs, string Glob)
    : TriggerSpec(Location, Inputs)
{
    public override string Kind => "file";

    public override string Describe() => $"drop/{Glob}";
}

public enum AfterStatus
{
    Succeeded,
    Failed,
    Any,
}

/// <summary>`after: CHAIN` — a run of another chain of the workspace finishing with the status.</summary>
public sealed record AfterTrigger(
    SourceLocation Location,
    IReadOnlyDictionary<string, string> Inputs,
    string Chain,
    AfterStatus Status
) : TriggerSpec(Location, Inputs)
{
    public override string Kind => "after";

    public override string Describe() => $"{Chain} {Status.ToString().ToLowerInvariant()}";
}
