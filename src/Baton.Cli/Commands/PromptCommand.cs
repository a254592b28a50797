using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Baton.Chains;
using Baton.Prompts;
using Baton.Runs;
using Baton.Workspaces;

namespace Baton.Cli.Commands;

/// <summary>`baton prompt log|diff CHAIN AGENT`: a prompt agent's versions and how its runs did, and what changed (docs/prompts.md).</summary>
public static class PromptCommand
{
    private const string LastGood = PromptHistory.LastGood;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("prompt", "A prompt agent's versions: log, diff") { Subcommands = { Log(), Diff() } };
        return command;
    }

    private static (Argument<string> Chain, Argument<string> Agent) Arguments() =>
        (
            new Argument<string>("chain") { Description = "Chain name (in chains/) or file" },
            new Argument<string>("agent") { Description = "The prompt agent" }
        );

    private static Command Log()
    {
        var (chainArgument, agentArgument) = Arguments();
        var json = new Option<bool>("--json") { Description = "As JSON: a list of versions, oldest first" };
        var command = new Command(
            "log",
            "Each version of the agent's prompt the chain's runs used: first and last use, runs, outcomes"
        )
        {
            Arguments = { chainArgument, agentArgument },
            Options = { json },
        };
        command.SetAction(
            (parse, _) =>
                CommandAction.Run(() =>
                {
                    var (workspace, chain) = OpenChain(parse, parse.GetValue(chainArgument)!);
                    var agent = parse.GetValue(agentArgument)!;
                    var current = CurrentText(chain, agent);
                    var uses = PromptHistory.Uses(workspace.RunsRoot, chain.Name, agent);
                    var versions = PromptHistory.Versions(uses);
                    var good = PromptHistory.LastKnownGood(uses)?.Version.Version;
                    if (parse.GetValue(json))
                    {
                        Console.WriteLine(PromptLog.Json(versions, good, current.Version).ToJsonString(Indented));
                        return Task.FromResult(ExitCodes.Succeeded);
                    }
                    if (versions.Count == 0)
                        Console.WriteLine($"no run of '{chain.Name}' has used agent '{agent}' yet");
                    foreach (var v in versions)
                    {
                        var tags = new List<string>();
                        if (v.Version.Version == current.Version)
                            tags.Add("current");
                        if (v.Version.Version == good)
                            tags.Add(LastGood);
                        var outcomes = string.Join(", ", v.Statuses.Select(s => $"{s.Value} {s.Key}"));
                        Console.WriteLine(
                            $"{v.Version.Version}  {When(v.FirstUsed)} … {When(v.LastUsed)}  {v.Runs} run{(v.Runs == 1 ? "" : "s")} ({outcomes}{(v.FailedChecks > 0 ? $", {v.FailedChecks} with failed checks" : "")}{(v.MarkedBad > 0 ? $", {v.MarkedBad} marked bad" : "")})  {v.Version.Source}{Git(v.Version)}{(tags.Count > 0 ? $"  [{string.Join(", ", tags)}]" : "")}"
                        );
                    }
                    if (versions.All(v => v.Version.Version != current.Version))
                        Console.WriteLine($"{current.Version}  (as the chain is now: not run yet)  [current]");
                    return Task.FromResult(ExitCodes.Succeeded);
                })
        );
        return command;
    }

    private static Command Diff()
    {
        var (chainArgument, agentArgument) = Arguments();
        var against = new Option<string>("--against")
        {
            Description = "last-good (default), a run id, or a version (from prompt log)",
            DefaultValueFactory = _ => LastGood,
        };
        var command = new Command(
            "diff",
            "A unified diff from a version of the agent's prompt to the prompt as it is now"
        )
        {
            Arguments = { chainArgument, agentArgument },
            Options = { against },
        };
        command.SetAction(
            (parse, _) =>
                CommandAction.Run(() =>
                {
                    var (workspace, chain) = OpenChain(parse, parse.GetValue(chainArgument)!);
                    var agent = parse.GetValue(agentArgument)!;
                    var current = CurrentText(chain, agent);
                    var (run, label) = Against(workspace, chain.Name, agent, parse.GetValue(against)!);
                    var old = PromptHistory.TextOf(run, agent);
                    var diff = PromptDiff.Unified(old, $"{old.Version} ({label})", current, $"{current.Version} (now)");
                    if (diff.Length == 0)
                    {
                        Console.WriteLine($"no change: the prompt is as in {label} ({old.Version})");
                        return Task.FromResult(ExitCodes.Succeeded);
                    }
                    Console.Write(Terminal.StdoutIsTerminal ? PromptDiff.Colour(diff) : diff);
                    return Task.FromResult(ExitCodes.Succeeded);
                })
        );
        return command;
    }

    private static (RunFolder Run, string Label) Against(
        Workspace workspace,
        string chain,
        string agent,
        string against
    )
    {
        try
        {
            return PromptHistory.Find(workspace.RunsRoot, chain, agent, against);
        }
        catch (PromptVersionNotFoundException e)
        {
            throw new UsageException($"--against {e.Message}");
        }
    }

    private static (Workspace, Chain) OpenChain(ParseResult parse, string given)
    {
        var path = RunCommand.ResolveChainPath(given, parse);
        var workspace = CliWorkspace.Open(parse, Path.GetDirectoryName(path));
        return (workspace, ChainLoader.LoadFile(path, workspace.Root));
    }

    private static PromptText CurrentText(Chain chain, string agent)
    {
        try
        {
            return PromptHistory.TextOf(chain, agent);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message.Split(" (Parameter", 2)[0]);
        }
    }

    private static string When(DateTimeOffset? time) =>
        time?.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "?";

    private static string Git(PromptVersion version) =>
        version.Git is { } git ? $" @{git.Commit[..8]}{(git.Modified ? "+modified" : "")}" : "";
}
