using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Baton.Bench;

/// <summary>What one child measured: metric name → value (null when the workload can't run yet).</summary>
public static class Measurements
{
    public static string ToJson(IReadOnlyDictionary<string, double?> values)
    {
        var sb = new StringBuilder("{");
        foreach (var (k, v) in values)
        {
            if (sb.Length > 1)
                sb.Append(',');
            sb.Append(JsonSerializer.Serialize(k))
                .Append(':')
                .Append(v is { } d ? d.ToString("R", CultureInfo.InvariantCulture) : "null");
        }
        return sb.Append('}').ToString();
    }

    public static Dictionary<string, double?> FromJson(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var result = new Dictionary<string, double?>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement.EnumerateObject())
            result[p.Name] = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : null;
        return result;
    }

    /// <summary>Peak resident set of this process (the kernel's high-water mark), in MB.</summary>
    public static double PeakRssMb() => ProcStatusKb("self", "VmHWM:") / 1024.0;

    /// <summary>Resident set of a process (another one's too: the bench's `baton serve`), in MB; 0 when /proc has none.</summary>
    public static double CurrentRssMb(int pid) =>
        ProcStatusKb(pid.ToString(CultureInfo.InvariantCulture), "VmRSS:") / 1024.0;

    internal static long ProcStatusKb(string pid, string key)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return 0;
    }

    /// <summary>
    /// Tells `perf record -D -1 --control fifo:CTL` (CTL named by BATON_BENCH_PERF_CTL) to sample only
    /// between this call and the returned handle's disposal: the clocked part, not the set-up. Nothing otherwise.
    /// </summary>
    public static IDisposable Profiled()
    {
        var control = Environment.GetEnvironmentVariable("BATON_BENCH_PERF_CTL");
        if (string.IsNullOrEmpty(control))
            return NotProfiled.Instance;
        File.WriteAllText(control, "enable\n");
        return new PerfWindow(control);
    }

    private sealed class NotProfiled : IDisposable
    {
        public static readonly NotProfiled Instance = new();

        public void Dispose() { }
    }

    private sealed class PerfWindow(string control) : IDisposable
    {
        public void Dispose() => File.WriteAllText(control, "disable\n");
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
