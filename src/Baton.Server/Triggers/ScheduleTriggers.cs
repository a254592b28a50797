using System.Globalization;
using Baton.Chains;
using Baton.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Baton.Server.Triggers;

/// <summary>
/// The one-second clock of triggers: fires every workspace's `schedule:` triggers and has FileTriggers look
/// at drop/ folders. Once a second (the finest a six-field expression asks for) it
/// looks at each schedule's latest firing since the one it last ran; a firing is remembered (TriggerState)
/// before its run is created, so none runs twice, also across a restart. A firing that fell while no server
/// ran is caught up once at start (`catch_up: last`, the latest only) or skipped (`catch_up: none`).
/// Time comes from ServerSettings.Time, so tests move it.
/// </summary>
public sealed class ScheduleTriggers(
    DataRoot data,
    ServerSettings settings,
    TriggerStarter starter,
    FileTriggers drops,
    ILogger<ScheduleTriggers> logger
) : IHostedService, IAsyncDisposable
{
    private readonly TriggerState _state = new(data);
    private readonly SemaphoreSlim _busy = new(1, 1);
    private ITimer? _timer;
    private DateTimeOffset _startedAt;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _startedAt = settings.Time.GetUtcNow();
        await TickAsync(); // catch-up runs are started before the server answers its first request
        var second = TimeSpan.FromSeconds(1);
        _timer = settings.Time.CreateTimer(_ => _ = TickAsync(), null, second, second);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_timer is not null)
            await _timer.DisposeAsync();
        await _busy.WaitAsync(cancellationToken); // a tick under way finishes starting its runs
        _busy.Release();
    }

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
            await _timer.DisposeAsync();
    }

    /// <summary>One look at every schedule. A tick that finds the previous one still busy is skipped: the next catches up.</summary>
    internal async Task TickAsync()
    {
        if (!await _busy.WaitAsync(0))
            return;
        try
        {
            var now = settings.Time.GetUtcNow();
            foreach (var workspace in data.WorkspaceNames())
            {
                // One workspace's trouble (a damaged folder, a full disk) must not stop the others' triggers.
                try
                {
                    var chains = WorkspaceChains.Load(data.WorkspacePath(workspace));
                    foreach (var entry in chains)
                    {
                        foreach (var schedule in entry.Chain?.Triggers.OfType<ScheduleTrigger>() ?? [])
                            await FireIfDueAsync(workspace, entry, schedule, now);
                    }
                    await drops.ScanAsync(workspace, data.WorkspacePath(workspace), chains, now);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or Runs.UnsafePathException)
                {
                    logger.LogWarning("{Workspace}: triggers: {Reason}", workspace, e.Message);
                }
            }
        }
        finally
        {
            _busy.Release();
        }
    }

    private async Task FireIfDueAsync(
        string workspace,
        WorkspaceChains.Entry entry,
        ScheduleTrigger schedule,
        DateTimeOffset now
    )
    {
        // Keyed by what the schedule says, not its position: reordering triggers keeps each one's memory.
        var key = $"{entry.Name}|{schedule.Cron}|{schedule.TimeZone}";
        if (_state.LastFiring(workspace, key) is not { } last)
        {
            _state.SetLastFiring(workspace, key, now); // a schedule seen for the first time starts counting now
            return;
        }
        if (LatestFiring(schedule, last, now) is not { } firing)
            return;
        _state.SetLastFiring(workspace, key, firing);
        if (firing < _startedAt && schedule.CatchUp == CatchUp.None)
            return;
        var time = firing.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        await starter.StartAsync(
            workspace,
            entry,
            schedule,
            reference => reference == "schedule.time" ? time : "",
            $"schedule {schedule.Describe()} at {time}"
        );
    }

    /// <summary>The latest firing in (after, now], or null.</summary>
    internal static DateTimeOffset? LatestFiring(ScheduleTrigger schedule, DateTimeOffset after, DateTimeOffset now)
    {
        DateTimeOffset? latest = null;
        // Cronos counts forward; a long outage of an every-second schedule walks a day's 86,400 firings once.
        foreach (var firing in schedule.Expression.GetOccurrences(after, now, schedule.Zone, false, true))
            latest = firing;
        return latest;
    }
}
