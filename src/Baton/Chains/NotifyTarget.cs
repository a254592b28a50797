namespace Baton.Chains;

/// <summary>When a `notify:` webhook is told: the run ended (any status), it failed, a decision waits.</summary>
public enum NotifyOn
{
    Finished,
    Failed,
    Waiting,
}

/// <summary>`json`: Baton's own payload; `slack`: `{"text": …}` as a Slack incoming webhook takes it.</summary>
public enum NotifyFormat
{
    Json,
    Slack,
}

/// <summary>One entry of a chain's `notify:` list.</summary>
public sealed record NotifyTarget(Uri Url, IReadOnlySet<NotifyOn> On, NotifyFormat Format);
