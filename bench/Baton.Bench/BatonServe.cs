using System.Diagnostics;
using System.Text;

namespace Baton.Bench;

/// <summary>The published `baton serve` (.baton/bin/baton) on a data folder, default settings, until disposed.</summary>
public sealed class BatonServe : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private BatonServe(Process process, string url) => (_process, Url) = (process, url);

    public string Url { get; }
    public int Pid => _process.Id;

    public string Errors
    {
        get
        {
            lock (_errors)
                return _errors.ToString();
        }
    }

    /// <summary>The published CLI: .baton/bin/baton, or BATON_BENCH_BATON (another build, for before/after pairs).</summary>
    public static string Executable =>
        Environment.GetEnvironmentVariable("BATON_BENCH_BATON") is { Length: > 0 } other
            ? other
            : Path.Combine(HarnessOptions.FindRepoRoot(), ".baton", "bin", "baton");

    /// <param name="environment">Set for the server beside what it inherits (SSL_CERT_FILE for a TLS fake).</param>
    public static async Task<BatonServe> StartAsync(string dataPath, params (string Name, string Value)[] environment)
    {
        var baton = Executable;
        var url = $"http://127.0.0.1:{FakeOpenAi.FreePort()}";
        var info = new ProcessStartInfo(baton) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "serve", "--data", dataPath, "--urls", url })
            info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment)
            info.Environment[name] = value;
        var serve = new BatonServe(Process.Start(info)!, url);
        serve._process.OutputDataReceived += (_, _) => { };
        serve._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
                lock (serve._errors)
                    serve._errors.AppendLine(line);
        };
        serve._process.BeginOutputReadLine();
        serve._process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = new Uri(url) };
        for (var clock = Stopwatch.StartNew(); ; await Task.Delay(20))
        {
            if (serve._process.HasExited)
                throw new InvalidOperationException($"baton serve exited {serve._process.ExitCode}: {serve.Errors}");
            if (clock.Elapsed > TimeSpan.FromMinutes(1))
                throw new TimeoutException("baton serve did not answer within a minute");
            try
            {
                using var response = await probe.GetAsync("/metrics");
                break; // answering (with 401 or 200): listening
            }
            catch (HttpRequestException) { }
        }
        return serve;
    }

    public double PeakRssMb() =>
        Measurements.ProcStatusKb(Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "VmHWM:") / 1024.0;

    /// <summary>CPU time the server has used (user + system).</summary>
    public double CpuSeconds()
    {
        _process.Refresh();
        return _process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>
    /// A series' value in Prometheus text, -1 when absent: `name value` or `name{labels} value` (OpenTelemetry's exporter
    /// writes `name{} value`).
    /// </summary>
    public static long Metric(string metrics, string series) =>
        metrics
            .Split('\n')
            .Where(l =>
                l.StartsWith(series + " ", StringComparison.Ordinal)
                || l.StartsWith(series + "{", StringComparison.Ordinal)
            )
            .Select(l =>
                (long)
                    double.Parse(
                        l[(l[series.Length] == '{' ? l.IndexOf('}', StringComparison.Ordinal) + 1 : series.Length)..]
                            .Trim()
                            .Split(' ')[0],
                        System.Globalization.CultureInfo.InvariantCulture
                    )
            )
            .FirstOrDefault(-1);

    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
