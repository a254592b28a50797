using System.CommandLine;
using System.Text;
using Baton.Runs;

namespace Baton.Cli.Commands;

public static class ShowCommand
{
    private const int PreviewBytes = 2048;

    public static Command Create()
    {
        var runArgument = RunArgument.Create();
        var json = new Option<bool>("--json")
        {
            Description = "As JSON: {id, chain, status, started, finished, cost_usd, agents}",
        };
        var command = new Command("show", "A run's status, agents, outputs and cost")
        {
            Arguments = { runArgument },
            Options = { json },
        };
        command.SetAction(
            (parse, _) =>
                CommandAction.Run(() =>
                {
                    var workspace = CliWorkspace.Open(parse);
                    var run = RunFolder.Find(workspace.RunsRoot, parse.GetValue(runArgument)!);
                    var summary = RunSummary.Load(run);
                    if (parse.GetValue(json))
                    {
                        Console.WriteLine(summary.ToJson());
                        return Task.FromResult(ExitCodes.Succeeded);
                    }
                    var orphaned = RunSummary.IsOrphaned(run, summary)
                        ? "  (no engine is running it: baton resume " + run.Id + ")"
                        : "";
                    Console.WriteLine($"run      {summary.Id}");
                    Console.WriteLine($"chain    {summary.Chain}");
                    Console.WriteLine(
                        $"status   {summary.Status.Wire()}{(summary.Reason is { } r ? $": {r}" : "")}{(summary.FailedChecks > 0 && summary.Status == RunStatus.Succeeded ? ", but checks failed" : "")}{orphaned}"
                    );
                    if (summary.Started is { } started)
                        Console.WriteLine(
                            $"time     {started.ToLocalTime():yyyy-MM-dd HH:mm:ss}{(summary.Finished is { } f ? $", took {Terminal.Elapsed(f - started)}" : "")}"
                        );
                    Console.WriteLine($"cost     ${summary.CostUsd:0.0000}");
                    if (summary.QualityScore is { } quality)
                        Console.WriteLine(
                            $"quality  {quality:P0}{(summary.FailedChecks > 0 ? $" ({summary.FailedChecks} check{(summary.FailedChecks == 1 ? "" : "s")} failed: not green)" : "")}"
                        );
                    Console.WriteLine($"folder   {Terminal.Relative(run.Path)}");
                    foreach (var (name, agent) in summary.Agents)
                    {
                        var attempts = agent.Attempts > 1 ? $", {agent.Attempts} attempts" : "";
                        Console.WriteLine();
                        Console.WriteLine(
                            $"── {name}: {agent.Status.Wire()}{attempts}{(agent.Reason is { } reason ? $" ({reason})" : "")}"
                        );
                        if (agent.Output is { } output)
                            Console.WriteLine(Preview(Path.Combine(run.Path, output)));
                    }
                    return Task.FromResult(ExitCodes.Succeeded);
                })
        );
        return command;
    }

    /// <summary>The start of an output: binary is described, not printed; long text is cut with a pointer to the file.</summary>
    internal static string Preview(string path)
    {
        if (SafePaths.IsSymlink(path))
            return "   (output is a symlink; not followed)";
        using var stream = File.OpenRead(path);
        var buffer = new byte[(int)Math.Min(stream.Length, PreviewBytes)];
        stream.ReadExactly(buffer);
        if (buffer.AsSpan().Contains((byte)0))
            return $"   (binary output, {stream.Length} bytes: {Terminal.Relative(path)})";
        var text = Encoding.UTF8.GetString(buffer).TrimEnd();
        var lines = string.Join('\n', text.Split('\n').Select(l => "   " + l));
        return stream.Length > buffer.Length
            ? $"{lines}\n   … ({stream.Length} bytes in all: {Terminal.Relative(path)})"
            : lines;
    }
}
