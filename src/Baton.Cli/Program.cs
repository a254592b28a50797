using System.CommandLine;
using Baton.Cli;
using Baton.Cli.Commands;

// A command that runs once and exits compiles nothing at run time: regexes built with RegexOptions.Compiled
// (YamlDotNet's anchor-name check, on every chain load) are interpreted instead of being compiled through
// Reflection.Emit and the optimising JIT, ~5 ms of every `baton run`. The server keeps compiled code: it runs long
// enough to gain from it. Set before anything reads RuntimeFeature (it is read once).
if (!args.Contains("serve"))
    AppContext.SetSwitch("System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported", false);

var root = new RootCommand("Baton: define multi-agent chains in YAML, run them, watch them, step in when it matters.")
{
    Options = { CliWorkspace.Option },
    Subcommands =
    {
        InitCommand.Create(),
        ValidateCommand.Create(),
        GraphCommand.Create(),
        ImportCommand.Create(),
        TriggersCommand.Create(),
        RunCommand.Create(),
        RunsCommand.Create(),
        ShowCommand.Create(),
        EventsCommand.Create(),
        LogsCommand.Create(),
        ResumeCommand.Create(),
        CancelCommand.Create(),
        MarkCommand.Create(),
        PromoteCommand.Create(),
        PromptCommand.Create(),
        TestCommand.Create(),
        EmitCommand.Create(),
        DecideCommand.Create(),
        CostsCommand.Create(),
        HealthCommand.Create(),
        AlertsCommand.Create(),
        CanaryCommand.Create(),
        SecretCommand.Create(),
        ServeCommand.Create(),
        DoctorCommand.Create(),
        AdminCommands.Workspace(),
        AdminCommands.Token(),
    },
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
{
    foreach (var error in parse.Errors)
        Console.Error.WriteLine($"error: {error.Message}");
    Console.Error.WriteLine(
        $"Try 'baton {string.Join(' ', parse.CommandResult.Command.Name == root.Name ? "" : parse.CommandResult.Command.Name)} --help'.".Replace(
            "  ",
            " ",
            StringComparison.Ordinal
        )
    );
    return ExitCodes.InvalidInput;
}

// Ctrl-C and SIGTERM are handled by the commands that run things (cancel the run, exit 130).
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
