namespace Baton.Isolation;

/// <summary>
/// What one agent attempt may use. Null: no limit. CpuShares is a relative weight (cgroup cpu.shares,
/// default 1024) and only takes effect under cgroups; rlimits have no equivalent.
/// </summary>
public sealed record ResourceLimits(long? MemoryBytes = null, int? MaxProcesses = null, int? CpuShares = null)
{
    public static readonly ResourceLimits None = new();

    public bool IsEmpty => MemoryBytes is null && MaxProcesses is null && CpuShares is null;

    public static string Mebibytes(long bytes) => $"{bytes / (1024 * 1024)} MiB";
}
