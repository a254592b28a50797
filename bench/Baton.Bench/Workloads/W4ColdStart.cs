namespace Baton.Bench;

/// <summary>
/// W4: whole-process time of the published `baton run` (.baton/bin/baton, ReadyToRun, as `./baton`
/// builds it) on a one-agent `run: "true"` chain, a one-agent offline `prompt:` chain and examples/hello.yaml, with --json so there is no live view: process
/// start to exit, including the runtime's start, loading the chain, the run, and its final fsync.
/// </summary>
public sealed class W4ColdStart : Workload
{
    public override string Name => "W4";
    public override string Title => "cold start";

    public override async Task<Dictionary<string, double?>> RunAsync(ChildOptions options)
    {
        using var ws = new BenchWorkspace(options.Root);
        Directory.CreateDirectory(Path.Combine(ws.Root, "chains"));
        await File.WriteAllTextAsync(
            Path.Combine(ws.Root, "chains", "one.yaml"),
            "name: bench-w4\nagents:\n  only:\n    run: \"true\"\n"
        );
        await File.WriteAllTextAsync(
            Path.Combine(ws.Root, "chains", "prompt.yaml"),
            "name: bench-w4p\nagents:\n  only:\n    model: offline\n    prompt: say hello\n"
        );
        File.Copy(
            Path.Combine(HarnessOptions.FindRepoRoot(), "examples", "hello.yaml"),
            Path.Combine(ws.Root, "chains", "hello.yaml")
        );

        await RunBatonAsync(ws.Root, "chains/one.yaml"); // untimed: the executable's pages into the page cache, as for any second use
        return new()
        {
            ["cold_start_ms"] = await RunBatonAsync(ws.Root, "chains/one.yaml"),
            ["prompt_ms"] = await RunBatonAsync(ws.Root, "chains/prompt.yaml"),
            ["hello_ms"] = await RunBatonAsync(ws.Root, "chains/hello.yaml"),
        };
    }

    private static async Task<double> RunBatonAsync(string workspace, string chain) =>
        (await ShippedBaton.RunAsync(workspace, chain)).ElapsedMs;
}
