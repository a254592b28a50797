using Baton.Server.Auth;
using Baton.Server.Hosting;

namespace Baton.Server.Tests.Api;

/// <summary>A server gives a burst's garbage back once no run is active (QuietCollector).</summary>
public class QuietCollectorTests
{
    /// <summary>A clock whose timers fire only when the test says so.</summary>
    private sealed class ManualTimers : TimeProvider
    {
        private readonly List<(TimerCallback Callback, object? State, Timer Handle)> _pending = [];

        public int Pending
        {
            get
            {
                lock (_pending)
                    return _pending.Count(t => !t.Handle.Disposed);
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var handle = new Timer();
            if (period != Timeout.InfiniteTimeSpan)
                return handle; // the server's periodic ticks (schedule triggers) never fire here: only one-shot timers count
            lock (_pending)
                _pending.Add((callback, state, handle));
            return handle;
        }

        public void FireAll()
        {
            List<(TimerCallback Callback, object? State, Timer Handle)> due;
            lock (_pending)
            {
                due = [.. _pending.Where(t => !t.Handle.Disposed)];
                _pending.Clear();
            }
            foreach (var (callback, state, _) in due)
                callback(state);
        }

        private sealed class Timer : ITimer
        {
            public bool Disposed { get; private set; }

            public bool Change(TimeSpan dueTime, TimeSpan period) => !Disposed;

            public void Dispose() => Disposed = true;

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }

    private static void AllocateAtLeast(long bytes)
    {
        for (long made = 0; made < bytes; made += 1 << 20)
            GC.KeepAlive(new byte[1 << 20]);
    }

    [Fact]
    public async Task LastActiveRunEnds_AfterABurst_OneCollectionWhenTheQuietTimerFires()
    {
        var timers = new ManualTimers();
        await using var server = await TestServer.StartAsync(settings: new ServerSettings { Time = timers });
        var ws = $"quiet-{Guid.NewGuid().ToString("N")[..8]}";
        using var owner = server.Client(server.Token(ws, Role.Owner));
        await owner.PutAsync(
            $"/api/workspaces/{ws}/chains/one",
            TestServer.Yaml("name: one\nagents:\n  a:\n    run: echo a\n")
        );
        AllocateAtLeast(QuietCollector.MinAllocated); // what a burst of runs leaves behind

        await owner.PostAsync($"/api/workspaces/{ws}/runs", TestServer.Json(new { chain = "one" }));
        for (var deadline = DateTime.UtcNow.AddSeconds(60); timers.Pending == 0; await Task.Delay(10))
            Assert.True(DateTime.UtcNow < deadline, "no quiet timer after the only run ended");
        Assert.Equal(0, server.Host.QuietCollector.Collections);

        timers.FireAll();
        Assert.Equal(1, server.Host.QuietCollector.Collections);
    }

    [Fact]
    public void BusyAgainWhenTheTimerFires_NoCollection()
    {
        var timers = new ManualTimers();
        var collector = new QuietCollector(timers, allocated: () => QuietCollector.MinAllocated);

        collector.Quiet(stillQuiet: () => false);
        timers.FireAll();

        Assert.Equal(0, collector.Collections);
    }

    [Fact]
    public void LittleAllocatedSinceTheLastCollection_NoTimer()
    {
        var timers = new ManualTimers();
        long allocated = QuietCollector.MinAllocated;
        var collector = new QuietCollector(timers, allocated: () => allocated);
        collector.Quiet(() => true);
        timers.FireAll();
        Assert.Equal(1, collector.Collections);

        allocated += QuietCollector.MinAllocated / 2; // too little to be worth a full collection
        collector.Quiet(() => true);
        Assert.Equal(0, timers.Pending);

        allocated += QuietCollector.MinAllocated / 2;
        collector.Quiet(() => true);
        timers.FireAll();
        Assert.Equal(2, collector.Collections);
    }
}
