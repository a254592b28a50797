using Baton.Canary;
using Baton.Chains;
using Baton.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Baton.Server.Monitoring;

/// <summary>
/// Runs each chain's `canary:` on its cron schedule (docs/monitoring.md, Prompt drift): every 10 seconds it
/// looks for canaries due since the last one it ran, remembered in DATA/server/canaries/ (root-only, like the
/// schedule triggers' memory) before the canary starts, so none runs twice. A canary missed while no server
/// ran is not caught up (the next one compares just as well). Canaries run one at a time, through the
/// workspace's own engine (its isolation and slots). Time comes from ServerSettings.Time, so tests move it.
/// </summary>
public sealed class CanarySchedule(DataRoot data, ServerSettings settings, RunHost host, ILogger<CanarySchedule> logger)
    : IHostedService,
        IAsyncDisposable
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(10);
    private readonly Triggers.TriggerState _state = new(data, "canaries");
    private readonly SemaphoreSlim _busy = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = settings.Time.CreateTimer(_ => _ = TickAsync(), null, Tick, Tick);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_timer is not null)
            await _timer.DisposeAsync();
        await _stopping.CancelAsync();
        await _busy.WaitAsync(cancellationToken);
        _busy.Release();
    }

    // _stopping is not disposed: the host may dispose this service before it stops it (a restart in tests),
    // and a CancellationTokenSource without a timer holds nothing that needs disposing.
    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
            await _timer.DisposeAsync();
        await _stopping.CancelAsync();
    }

    /// <summary>A tick that finds a canary still running is skipped: the next one looks again.</summary>
    internal async Task TickAsync()
    {
        if (!await _busy.WaitAsync(0))
            return;
        try
        {
            var now = settings.Time.GetUtcNow();
            foreach (var workspace in data.WorkspaceNames())
            {
                try
                {
                    foreach (var entry in WorkspaceChains.Load(data.WorkspacePath(workspace)))
                        if (entry.Chain is { Canary: { } canary } chain && Due(workspace, chain, canary, now))
                            await RunAsync(workspace, chain, entry.Text);
                }
                catch (Exception e)
                    when (e
                            is IOException
                                or UnauthorizedAccessException
                                or Runs.UnsafePathException
                                or ChainValidationException
                    )
                {
                    logger.LogWarning("{Workspace}: canary: {Reason}", workspace, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested) { }
        finally
        {
            _busy.Release();
        }
    }

    private bool Due(string workspace, Chain chain, CanarySpec canary, DateTimeOffset now)
    {
        var key = $"canary|{chain.Name}|{canary.Schedule}";
        if (_state.LastFiring(workspace, key) is not { } last)
        {
            _state.SetLastFiring(workspace, key, now); // a canary seen for the first time counts from now
            return false;
        }
        var due = ScheduleTimes.Parse(canary.Schedule).GetOccurrences(last, now, TimeZoneInfo.Utc, false, true).Any();
        if (due)
            _state.SetLastFiring(workspace, key, now); // remembered before it runs: never twice
        return due;
    }

    private async Task RunAsync(string workspace, Chain chain, string yaml)
    {
        var engine = host.EngineFor(workspace);
        try
        {
            var result = await new CanaryRunner(engine.Workspace, engine.Options).RunAsync(
                chain,
                yaml,
                _stopping.Token
            );
            logger.LogInformation(
                "{Workspace}: canary of {Chain}: {Cases} cases, {Moved} moved{Baseline}",
                workspace,
                chain.Name,
                result.Record.Cases.Count,
                result.Moved.Count,
                result.NewBaseline ? " (new baseline)" : ""
            );
        }
        catch (FileNotFoundException e)
        {
            logger.LogWarning("{Workspace}: canary: {Reason}", workspace, e.Message);
        }
    }
}
