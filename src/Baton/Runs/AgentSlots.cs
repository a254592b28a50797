namespace Baton.Runs;

/// <summary>
/// Agent slots shared by every run of every workspace on the machine (docs/adr/0005-fair-scheduling.md), handed out by a
/// weighted fair queue keyed by workspace: when a slot frees up, it goes to the waiting workspace
/// with the fewest running agents per unit of weight (ties: the one served longest ago). So a
/// workspace with 500 queued agents delays another workspace's single agent by at most one slot's
/// wait. Each workspace may also be capped (baton.yaml `limits.max_parallel_agents`).
/// </summary>
public sealed class AgentSlots(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Tenant> _tenants = new(StringComparer.Ordinal);
    private int _active;
    private long _servedCounter;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    private sealed class Tenant
    {
        public int Active;
        public int? Cap;
        public double Weight = 1;
        public long LastServed;
        public readonly Queue<TaskCompletionSource<Lease>> Waiters = new();
    }

    /// <summary>Sets a workspace's cap on parallel agents (null: only the machine's capacity) and its weight.</summary>
    public void Configure(string workspace, int? maxParallelAgents, double weight = 1)
    {
        lock (_gate)
        {
            var tenant = TenantOf(workspace);
            tenant.Cap = maxParallelAgents;
            tenant.Weight = weight > 0 ? weight : 1;
            GrantWhilePossible();
        }
    }

    public int Active
    {
        get
        {
            lock (_gate)
                return _active;
        }
    }

    /// <summary>Acquisitions queued for a slot (not cancelled).</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
                return _tenants.Values.Sum(t => t.Waiters.Count(w => !w.Task.IsCompleted));
        }
    }

    public int ActiveIn(string workspace)
    {
        lock (_gate)
            return _tenants.TryGetValue(workspace, out var t) ? t.Active : 0;
    }

    /// <summary>Waits for a slot; dispose the lease to give it back.</summary>
    public Task<Lease> AcquireAsync(string workspace, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var tenant = TenantOf(workspace);
            if (_active < Capacity && (tenant.Cap is null || tenant.Active < tenant.Cap) && tenant.Waiters.Count == 0)
                return Task.FromResult(Grant(workspace, tenant));
            var waiter = new TaskCompletionSource<Lease>(TaskCreationOptions.RunContinuationsAsynchronously);
            tenant.Waiters.Enqueue(waiter);
            if (cancellationToken.CanBeCanceled)
                cancellationToken.Register(() =>
                {
                    if (waiter.TrySetCanceled(cancellationToken))
                        return;
                    if (waiter.Task.IsCompletedSuccessfully)
                        waiter.Task.Result.Dispose(); // granted meanwhile: give it back
                });
            return waiter.Task;
        }
    }

    private Tenant TenantOf(string workspace)
    {
        if (!_tenants.TryGetValue(workspace, out var tenant))
            _tenants[workspace] = tenant = new Tenant();
        return tenant;
    }

    private Lease Grant(string workspace, Tenant tenant)
    {
        _active++;
        tenant.Active++;
        tenant.LastServed = ++_servedCounter;
        return new Lease(this, workspace);
    }

    private void Release(string workspace)
    {
        lock (_gate)
        {
            _active--;
            _tenants[workspace].Active--;
            GrantWhilePossible();
        }
    }

    private void GrantWhilePossible()
    {
        while (_active < Capacity)
        {
            Tenant? next = null;
            string? nextName = null;
            foreach (var (name, tenant) in _tenants)
            {
                while (tenant.Waiters.TryPeek(out var w) && w.Task.IsCompleted)
                    tenant.Waiters.Dequeue(); // cancelled
                if (tenant.Waiters.Count == 0 || (tenant.Cap is { } cap && tenant.Active >= cap))
                    continue;
                if (
                    next is null
                    || Share(tenant) < Share(next)
                    || (Share(tenant) == Share(next) && tenant.LastServed < next.LastServed)
                )
                    (next, nextName) = (tenant, name);
            }
            if (next is null)
                return;
            var waiter = next.Waiters.Dequeue();
            var lease = Grant(nextName!, next);
            if (!waiter.TrySetResult(lease))
                lease.ReleaseWithoutLock(this);
        }
    }

    private static double Share(Tenant t) => t.Active / t.Weight;

    public sealed class Lease : IDisposable
    {
        private readonly AgentSlots _owner;
        private readonly string _workspace;
        private int _released;

        internal Lease(AgentSlots owner, string workspace) => (_owner, _workspace) = (owner, workspace);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                _owner.Release(_workspace);
        }

        // Called under the lock when a grant raced with a cancellation.
        internal void ReleaseWithoutLock(AgentSlots owner)
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
                return;
            owner._active--;
            owner._tenants[_workspace].Active--;
        }
    }
}
