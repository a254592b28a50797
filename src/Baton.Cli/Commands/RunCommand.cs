using System.CommandLine;
using Baton.Agents.Processes;
using Baton.Chains;
using Baton.Events;
using Baton.Runs;
using Baton.Workspaces;

namespace Baton.Cli.Commands;

public static class RunCommand
{
    public static Command Create()
    {
        var chainArgument = new Argument<string>("chain")
        {
            Description = "Chain file (.yaml), or the name of one in the workspace's chains/",
        };
        var inputs = new Option<string[]>("--input", "-i")
        {
            Description = "An input as name=value (repeatable)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print the run's summary as JSON at the end instead of the live view",
        };
        var detach = new Option<bool>("--detach", "-d")
        {
            Description = "Start the run in the background, print its id and return",
        };
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "Print the plan (which agents start first, which wait on which events) without running",
        };
        var command = new Command("run", "Run a chain in this process with a live view")
        {
            Arguments = { chainArgument },
            Options = { inputs, json, detach, dryRun },
        };
        command.SetAction(
            (parse, _) =>
                CommandAction.Run(async () =>
                {
                    var chainPath = ResolveChainPath(parse.GetValue(chainArgument)!, parse);
                    var workspace = CliWorkspace.Open(parse, Path.GetDirectoryName(chainPath));
                    var yaml = File.ReadAllText(chainPath);
                    var chain = ChainLoader.LoadFile(chainPath, workspace.Root);
                    if (parse.GetValue(dryRun))
                        return DryRun(chain, ParseInputs(parse.GetValue(inputs) ?? []));
                    var run = await RunCreator.CreateAsync(
                        workspace,
                        chain,
                        yaml,
                        ParseInputs(parse.GetValue(inputs) ?? []),
                        GroupCommitter.Shared
                    );
                    if (parse.GetValue(detach))
                        return Detach(run, parse.GetValue(json));
                    return await RunExecution.ExecuteAsync(workspace, run, parse.GetValue(json));
                })
        );
        return command;
    }

    internal static string ResolveChainPath(string given, ParseResult parse)
    {
        if (File.Exists(given))
            return Path.GetFullPath(given);
        if (!given.Contains('/', StringComparison.Ordinal) && !given.EndsWith(".yaml", StringComparison.Ordinal))
        {
            var named = Path.Combine(CliWorkspace.Open(parse).Root, "chains", given + ".yaml");
            if (File.Exists(named))
                return named;
        }
        throw new UsageException($"no chain file '{given}'");
    }

    /// <summary>The plan only: no run folder, no events; a missing required input fails as the real run would.</summary>
    private static int DryRun(Chain chain, Dictionary<string, string> inputs)
    {
        Console.Write(ChainPlan.Text(chain, inputs));
        var missing = chain.Inputs.Where(i => i.Required && !inputs.ContainsKey(i.Name)).Select(i => i.Name).ToList();
        if (missing.Count == 0)
            return ExitCodes.Succeeded;
        Console.Error.WriteLine($"missing required input: {string.Join(", ", missing)}");
        return ExitCodes.InvalidInput;
    }

    public static Dictionary<string, string> ParseInputs(IEnumerable<string> pairs)
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new UsageException($"--input '{pair}' is not name=value");
            inputs[pair[..eq]] = pair[(eq + 1)..];
        }
        return inputs;
    }

    /// <summary>Starts `baton resume RUN` as a background process of its own, logging to the run's engine.log.</summary>
    private static int Detach(RunFolder run, bool json)
    {
        var self = Environment.ProcessPath ?? throw new UsageException("cannot find the baton executable to detach");
        List<string> arguments =
            Path.GetFileNameWithoutExtension(self) == "dotnet"
                ?
                [
                    Path.Combine(AppContext.BaseDirectory, "baton.dll"), // under `dotnet baton.dll`
                    "resume",
                    run.Id,
                    "--workspace",
                    Path.GetDirectoryName(run.RunsRoot)!,
                ]
                : ["resume", run.Id, "--workspace", Path.GetDirectoryName(run.RunsRoot)!];
        var environment = Environment
            .GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        var log = Path.Combine(run.Path, "engine.log");
        ProcessLauncher.Start(
            new ProcessSpec(self, arguments, Environment.CurrentDirectory, environment, log, log) { Append = true }
        );
        Console.WriteLine(json ? $"{{\"id\": \"{run.Id}\"}}" : run.Id);
        return ExitCodes.Succeeded;
    }
}
