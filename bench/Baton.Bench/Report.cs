using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Baton.Bench;

/// <summary>The markdown table (median, min–max) and bench/results.json.</summary>
public sealed class Report(
    HarnessOptions options,
    IReadOnlyDictionary<string, List<double>> samples,
    IReadOnlySet<string> ran,
    DiskProbe.Costs disk
)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private List<double>? Values(Row row) =>
        samples.TryGetValue($"{row.Workload}.{row.Metric}", out var v) && v.Count > 0
            ? [.. v.Select(x => x * row.Scale)]
            : null;

    public string Markdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine(
            CultureInfo.InvariantCulture,
            $"Baton benchmarks — {Environment.ProcessorCount} cores, {MemoryGb():0} GB, commit {GitCommit()[..Math.Min(10, GitCommit().Length)]}, {options.Reps} run(s) each{(options.Quick ? " (--quick)" : "")}; disk at the start: a new file {disk.NewFileUs:0} µs, a new folder {disk.NewFolderUs:0} µs"
        );
        sb.AppendLine();
        sb.AppendLine("| workload | measure | target | median | min – max | n | |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---|");
        foreach (var row in Row.All.Where(r => ran.Contains(r.Workload)))
        {
            var values = Values(row);
            if (values is null)
            {
                const string why = "not measured";
                sb.AppendLine(
                    CultureInfo.InvariantCulture,
                    $"| {row.Workload} | {row.Label} | {row.Target ?? ""} | — | — | 0 | {why} |"
                );
                continue;
            }
            var median = Measurements.Median(values);
            var verdict =
                row.Meets is null ? ""
                : row.Meets(median) ? "✅ met"
                : "❌ missed";
            sb.AppendLine(
                CultureInfo.InvariantCulture,
                $"| {row.Workload} | {row.Label} | {row.Target ?? ""} | {Format(median, row.Unit)} | {Format(values.Min(), row.Unit)} – {Format(values.Max(), row.Unit)} | {values.Count} | {verdict} |"
            );
        }
        return sb.ToString();
    }

    private static string Format(double v, string unit) =>
        unit switch
        {
            "/s" => v.ToString("#,0", Inv) + "/s",
            "ms" when v < 1 => v.ToString("0.000", Inv) + " ms",
            "ms" => v.ToString("0.0", Inv) + " ms",
            "s" => v.ToString("0.00", Inv) + " s",
            "KB" => v.ToString("0.0", Inv) + " KB",
            _ => v.ToString("0", Inv) + " " + unit,
        };

    public async Task WriteJsonAsync(string path)
    {
        var json = new JsonObject();
        foreach (var row in Row.All.Where(r => r.ResultKey is not null))
            json[row.ResultKey!] = Values(row) is { } v ? Math.Round(Measurements.Median(v), 4) : null;
        var details = new JsonObject();
        foreach (var row in Row.All.Where(r => ran.Contains(r.Workload)))
        {
            var key = row.ResultKey ?? $"{row.Workload.ToLowerInvariant()}_{row.Metric}";
            details[key] = Values(row) is { } v
                ? new JsonObject
                {
                    ["median"] = Math.Round(Measurements.Median(v), 4),
                    ["min"] = Math.Round(v.Min(), 4),
                    ["max"] = Math.Round(v.Max(), 4),
                    ["n"] = v.Count,
                }
                : null;
        }
        json["details"] = details;
        json["notes"] = new JsonObject
        {
            ["w3"] =
                "a real server in the bench process (BatonServer on loopback); runs started and approved over HTTP, 32 requests at a time; RSS includes the HTTP client",
            ["llm"] =
                "W1R, W2S, W2T, W3S: prompt agents through the real provider stack, W2S's LLM an OpenAI-wire server on 127.0.0.1 (FakeOpenAi), W2T's the same over https (HTTP/1.1 and 2, its certificate given to the server as SSL_CERT_FILE); W1, W2, W3 (engine only): a fake runner that waits the stated latency, the provider layer bypassed",
        };
        json["machine"] = new JsonObject
        {
            ["cores"] = Environment.ProcessorCount,
            ["memory_gb"] = Math.Round(MemoryGb(), 1),
            ["os"] = Environment.OSVersion.ToString(),
            ["dotnet"] = Environment.Version.ToString(),
            // measured before the workloads: the disk's state swings the file-creating rows (DiskProbe)
            ["disk_new_file_us"] = Math.Round(disk.NewFileUs, 1),
            ["disk_new_folder_us"] = Math.Round(disk.NewFolderUs, 1),
        };
        json["git_commit"] = GitCommit();
        json["reps"] = options.Reps;
        json["quick"] = options.Quick;
        json["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", Inv);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(
            path,
            json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"
        );
    }

    private static double MemoryGb()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], Inv) / 1024.0 / 1024.0;
    }

    private string? _commit;

    private string GitCommit()
    {
        if (_commit is not null)
            return _commit;
        try
        {
            var info = new ProcessStartInfo("git", ["-C", options.RepoRoot, "rev-parse", "HEAD"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var git = Process.Start(info)!;
            var sha = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            var dirty = new ProcessStartInfo(
                "git",
                ["-C", options.RepoRoot, "status", "--porcelain", "--untracked-files=no", "--", "src"]
            )
            {
                RedirectStandardOutput = true,
            };
            using var status = Process.Start(dirty)!;
            var changes = status.StandardOutput.ReadToEnd().Trim();
            status.WaitForExit();
            return _commit =
                sha.Length == 0 ? "unknown"
                : changes.Length > 0 ? sha + "-dirty"
                : sha;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return _commit = "unknown";
        }
    }
}
