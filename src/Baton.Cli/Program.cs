using System.CommandLine;
using Baton.Cli;
using Baton.Cli.Commands;

// A command that runs once and exits compiles nothing at run time: regexes built with RegexOptions.Compiled
// (YamlDotNet's anchor-name check, on every chain load) are interpreted instead of being compiled through
// Reflection.Emit and the optimising JIT, ~5 ms of every `baton run`. The server keeps compiled code: it runs long
// enough to gain from it. Set before anything reads RuntimeFeature (it is read once).
if (!args.Contains("serve"))
    AppContext.SetSwitch("System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported", false);

(string Name, Func<Command> Create)[] commands =
[
    ("init", InitCommand.Create),
    ("validate", ValidateCommand.Create),
    ("graph", GraphCommand.Create),
    ("import", ImportCommand.Create),
    ("triggers", TriggersCommand.Create),
    ("run", RunCommand.Create),
    ("runs", RunsCommand.Create),
    ("show", ShowCommand.Create),
    ("events", EventsCommand.Create),
    ("logs", LogsCommand.Create),
    ("resume", ResumeCommand.Create),
    ("cancel", CancelCommand.Create),
    ("mark", MarkCommand.Create),
    ("promote", PromoteCommand.Create),
    ("prompt", PromptCommand.Create),
    ("test", TestCommand.Create),
    ("emit", EmitCommand.Create),
    ("decide", DecideCommand.Create),
    ("costs", CostsCommand.Create),
    ("health", HealthCommand.Create),
    ("alerts", AlertsCommand.Create),
    ("canary", CanaryCommand.Create),
    ("secret", SecretCommand.Create),
    ("serve", ServeCommand.Create),
    ("doctor", DoctorCommand.Create),
    ("workspace", AdminCommands.Workspace),
    ("token", AdminCommands.Token),
];
var root = new RootCommand("Baton: define multi-agent chains in YAML, run them, watch them, step in when it matters.")
{
    Options = { CliWorkspace.Option },
};

// Only the command asked for is built: building all of them with their options and arguments was ~17 ms of every
// start. Without a known command name first (top-level help, a misspelt name, an option before it other than
// --workspace) every command is built, so help and errors list them all as before.
var asked = AskedCommand(args);
var known = commands.Any(c => c.Name == asked);
foreach (var (name, create) in commands)
    if (!known || name == asked)
        root.Subcommands.Add(create());

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

// The first word that is not --workspace's value: the command's name when there is one.
static string? AskedCommand(string[] args)
{
    for (var i = 0; i < args.Length; i++)
    {
        if (args[i] is "--workspace" or "-w")
            i++;
        else
            return args[i].StartsWith('-') ? null : args[i];
    }
    return null;
}
