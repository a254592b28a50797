using System.Diagnostics;
using System.Globalization;
using System.Text;
using Baton.Chains;

namespace Baton.Bench;

/// <summary>
/// W7 (issue 11, item 4): `baton validate` of a 2,000-agent chain, whole process (the published
/// CLI, as W4), wall time and peak RSS (GNU time's %M, the kernel's maxrss of the child). The
/// chain mixes what makes validation work: implicit sequence, fan-in `needs`, `on` events, an
/// event several agents emit, and templates that use inputs and upstream outputs. Also the same
/// validation in this process, warm, at 2,000 and 4,000 agents: twice the agents should cost
/// about twice the time.
/// </summary>
public sealed class W7Validate : Workload
{
    public override string Name => "W7";
    public override string Title => "validate a 2,000-agent chain";

    public override async Task<Dictionary<string, double?>> RunAsync(ChildOptions options)
    {
        var baton = ShippedBaton.Executable(); // the published CLI, or BATON_BENCH_BATON for before/after pairs (as W4)
        using var ws = new BenchWorkspace(options.Root);
        var path = Path.Combine(ws.Root, "big.yaml");
        await File.WriteAllTextAsync(path, Chain(2_000));
        await RunAsync(baton, path); // untimed: the executable's pages into the page cache
        var (ms, rssMb) = await RunAsync(baton, path);

        var big = Path.Combine(ws.Root, "bigger.yaml");
        await File.WriteAllTextAsync(big, Chain(4_000));
        ChainLoader.ValidateFile(path, ws.Root); // warm-up: JIT
        return new()
        {
            ["validate_ms"] = ms,
            ["validate_rss_mb"] = rssMb,
            ["in_process_2000_ms"] = InProcessMs(path, ws.Root),
            ["in_process_4000_ms"] = InProcessMs(big, ws.Root),
        };
    }

    private static double InProcessMs(string path, string root)
    {
        var clock = Stopwatch.StartNew();
        var errors = ChainLoader.ValidateFile(path, root);
        if (errors.Count > 0)
            throw new InvalidOperationException($"the bench chain is invalid: {errors[0]}");
        return clock.Elapsed.TotalMilliseconds;
    }

    public static string Chain(int agents)
    {
        // max_rounds: agents waiting `on: [..., tick]` wait again for a later agent's `tick`, a loop the validator
        // refuses without it (the chain stopped validating when that check came, and W7 with it).
        var sb = new StringBuilder("name: bench-w7\nmax_rounds: 2\ninputs:\n  topic: x\nagents:\n");
        for (var i = 0; i < agents; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  a{i}:\n");
            if (i > 1 && i % 3 == 0)
                sb.Append(CultureInfo.InvariantCulture, $"    needs: [a{i - 1}, a{i - 2}]\n");
            else if (i > 1 && i % 3 == 1)
                sb.Append(CultureInfo.InvariantCulture, $"    on: [a{i - 1}.done, tick]\n");
            if (i % 100 == 5)
                sb.Append("    emits: tick\n");
            sb.Append("    env: { TOPIC: x }\n");
            if (i > 0 && i % 3 == 0)
                sb.Append(
                    CultureInfo.InvariantCulture,
                    $"    cli: claude\n    task: \"{{{{ inputs.topic }}}} after {{{{ agents.a{i - 1}.output }}}}\"\n"
                );
            else
                sb.Append("    run: echo \"$BATON_INPUT_TOPIC\"\n");
        }
        return sb.ToString();
    }

    private static async Task<(double Ms, double RssMb)> RunAsync(string baton, string chain)
    {
        var done = await ShippedBaton.TimedAsync("/usr/bin/time", ["-f", "maxrss_kb=%M", baton, "validate", chain]);
        var line = done.Stderr.Split('\n').Last(l => l.StartsWith("maxrss_kb=", StringComparison.Ordinal));
        return (done.ElapsedMs, double.Parse(line["maxrss_kb=".Length..], CultureInfo.InvariantCulture) / 1024);
    }
}
