using System.CommandLine;
using Baton.Chains;

namespace Baton.Cli.Commands;

public static class ValidateCommand
{
    public static Command Create()
    {
        var chains = new Argument<string[]>("chain")
        {
            Description = "Chain files to check",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("validate", "Check chains; errors are printed as file:line:col")
        {
            Arguments = { chains },
        };
        command.SetAction(
            (parse, _) =>
                CommandAction.Run(() =>
                {
                    var failed = false;
                    foreach (var path in parse.GetValue(chains)!)
                    {
                        if (!File.Exists(path))
                        {
                            Console.Error.WriteLine($"{path}: no such file");
                            failed = true;
                            continue;
                        }
                        var workspace = CliWorkspace.Open(parse, Path.GetDirectoryName(Path.GetFullPath(path)));
                        var errors = ChainLoader.ValidateFile(path, workspace.Root);
                        foreach (var error in errors)
                            Console.Error.WriteLine(error);
                        if (errors.Count == 0)
                            Console.WriteLine($"{path}: ok");
                        failed |= errors.Count > 0;
                    }
                    return Task.FromResult(failed ? ExitCodes.InvalidInput : ExitCodes.Succeeded);
                })
        );
        return command;
    }
}
