using Baton.Bench;

// Three modes: the harness (default) runs every workload in a fresh child process, several times,
// and reports; `child WORKLOAD` is one such child, printing its measurements as one JSON line;
// `fake-openai LATENCY_MS` serves the fake OpenAI-wire API alone (its base URL on the first line of
// stdout) until stdin closes, for the peers in bench/peers/ to call the same server Baton's W1R/W2S do.
if (args is ["fake-openai", var latencyMs])
{
    await using var fake = await FakeOpenAi.StartAsync(TimeSpan.FromMilliseconds(int.Parse(latencyMs)));
    Console.WriteLine(fake.BaseUrl);
    Console.Out.Flush();
    await Console.In.ReadToEndAsync();
    return 0;
}
if (args is ["child", var name, ..])
{
    var workload = Workloads.Find(name) ?? throw new ArgumentException($"unknown workload '{name}'");
    var measured = await workload.RunAsync(
        new ChildOptions(
            Quick: args.Contains("--quick"),
            Root: args.Length > 2 && !args[2].StartsWith("--", StringComparison.Ordinal) ? args[2] : null
        )
    );
    Console.WriteLine(Measurements.ToJson(measured));
    return 0;
}

var options = HarnessOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: bench/run [--quick] [--reps N] [--only W1,W2,...] [--out FILE] [--keep]");
    return 2;
}
return await Harness.RunAsync(options);
