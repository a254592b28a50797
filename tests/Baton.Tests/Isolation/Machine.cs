using Baton.Isolation;
using Baton.Runs;

namespace Baton.Tests.Isolation;

/// <summary>
/// What the isolation tests need from the machine. They run real users and cgroups as root (CI
/// does); lacking either is a failure that says so, never a silent pass.
/// </summary>
internal static class Machine
{
    public static void RequireRoot() =>
        Assert.True(
            Environment.IsPrivilegedProcess,
            "isolation tests need root (useradd, cgroups, setuid); CI runs them as root"
        );

    public static LimitEnforcement RequireCgroups()
    {
        RequireRoot();
        var detected = LimitEnforcement.Detected;
        Assert.True(
            detected.UsesCgroups,
            $"these tests need writable cgroups (memory, pids); this machine has: {detected.Describe()}"
        );
        return detected;
    }

    public static EngineOptions Options(AgentIsolation isolation) =>
        new()
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            KillGrace = TimeSpan.FromSeconds(2),
            IsolationFor = _ => isolation,
        };

    /// <summary>Processes whose environment names this run (the engine sets BATON_RUN_ID for every agent).</summary>
    public static List<int> ProcessesOfRun(string runId)
    {
        var marker = $"BATON_RUN_ID={runId}\0";
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "stat")).Split(") ")[1][0] == 'Z')
                    continue;
                if (File.ReadAllText(Path.Combine(dir, "environ")).Contains(marker, StringComparison.Ordinal))
                    found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException) { }
        }
        return found;
    }
}
