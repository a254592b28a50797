using Baton.Agents;
using Baton.Chains;
using Baton.Events;

namespace Baton.Runs;

/// <summary>How an engine runs agents. The defaults are what `baton run` uses.</summary>
public sealed class EngineOptions
{
    /// <summary>First delay before an alert webhook is tried again (then doubled).</summary>
    public TimeSpan AlertRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Outbound webhooks (`notify:`, `alerts.webhook`) may reach loopback, private and link-local addresses.
    /// True for `baton run` (it runs as you; your agents reach them anyway); a server sets it from its operator's
    /// `--allow-private-notify`, off by default (Notifications.WebhookHttp, docs/security.md).
    /// </summary>
    public bool AllowPrivateWebhooks { get; init; } = true;

    /// <summary>Where a `notify:` payload links a waiting decision to: the server's address (its web UI's inbox); null: none (`baton run`).</summary>
    public Uri? LinkBase { get; init; }

    /// <summary>Makes event files durable in rounds; one per process unless a test brings its own.</summary>
    public GroupCommitter Committer { get; init; } = GroupCommitter.Shared;

    /// <summary>
    /// The engine's clock: event times, retry and decision deadlines, agent timeouts, the waits between them and
    /// the disk-full retries. Tests pass a FakeTimeProvider. (The inbox's settle time and taken-file names stay on
    /// the wall clock: they are compared with files' mtimes.)
    /// </summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Tells the engine when a file lands in an inbox; one inotify instance per process unless a test brings its own.</summary>
    public InboxWatcher Watcher { get; init; } = InboxWatcher.Shared;

    /// <summary>How often the inbox is rescanned when inotify can't watch it (WatchInbox off, or the kernel refused a watch).</summary>
    public TimeSpan InboxRescanInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often it is rescanned while every watch is in place. Local inotify doesn't drop
    /// notifications silently (an overflow wakes every watcher), so this is only a backstop; at 1 s
    /// it fired with every 1 s LLM call, and 1,000 runs paid for 1,000 needless full scans (docs/performance.md).
    /// </summary>
    public TimeSpan InboxBackstopInterval { get; init; } = TimeSpan.FromSeconds(15);

    public bool WatchInbox { get; init; } = true;

    /// <summary>
    /// Whether a `workdir:` may be an absolute folder outside the workspace: yes for `baton run` (one user, their own
    /// machine), no on a server, whose agents stay beneath their workspace (docs/security.md).
    /// </summary>
    public bool AllowAbsoluteWorkdir { get; init; } = true;

    /// <summary>SIGTERM first, SIGKILL after this.</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First retry delay; each further retry doubles it (with ±25 % jitter), capped at RetryMaxDelay.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The environment every agent starts from (SPEC §2: PATH and HOME only); the engine adds the BATON_ variables.</summary>
    public IReadOnlyDictionary<string, string> BaseEnvironment { get; init; } = AgentEnvironment.FromCurrentProcess();

    public IReadOnlyDictionary<AgentKind, IAgentRunner> Runners { get; init; } =
        new Dictionary<AgentKind, IAgentRunner>
        {
            [AgentKind.Run] = new BashAgent(),
            [AgentKind.Cli] = new CliAgent(),
            [AgentKind.Prompt] = PromptAgent.Shared,
            [AgentKind.Chain] = new SubChainAgent(),
        };

    /// <summary>
    /// The server's host: make sure one of its engines runs this child run of a `chain:` agent (RunHost.Launch; a
    /// no-op when one does). Null (`baton run`): the parent's engine runs the child in this process (ChildRuns).
    /// </summary>
    public Action<RunFolder>? LaunchChild { get; init; }

    /// <summary>How each workspace's agents are confined (user, memory, processes); null: as the engine's user, no limits.</summary>
    public Func<Workspaces.Workspace, Isolation.AgentIsolation?>? IsolationFor { get; init; }

    /// <summary>Agent slots shared across workspaces (the server); null: unlimited, or the workspace's max_parallel_agents.</summary>
    public AgentSlots? Slots { get; init; }

    /// <summary>Called on the run loop after every event is appended (the live view, the server's streams).</summary>
    public Action<RunFolder, RunEvent>? OnEvent { get; init; }

    /// <summary>Streamed text of a running agent (run, agent, text), for a live view.</summary>
    public Action<RunFolder, string, string>? OnProgress { get; init; }

    /// <summary>A run that found the disk full and can't yet record its failure (reason), or null once it could (docs/events.md).</summary>
    public Action<RunFolder, string?>? OnDiskStall { get; init; }

    /// <summary>Keep the workspace's runs/.disk-reserve (DiskSpace); tests turn it off to see a run stall on a full disk.</summary>
    public bool KeepDiskReserve { get; init; } = true;

    /// <summary>How soon a run stalled on a full disk tries again to record its failure; each try doubles it, up to the max.</summary>
    public TimeSpan DiskRetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan DiskRetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Warnings a person should see (a rejected inbox file, a stale process killed).</summary>
    public Action<string>? OnWarning { get; init; }
}
