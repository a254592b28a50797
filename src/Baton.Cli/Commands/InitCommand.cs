using System.CommandLine;
using Baton.Workspaces;

namespace Baton.Cli.Commands;

public static class InitCommand
{
    public static Command Create()
    {
        var dir = new Argument<string?>("dir")
        {
            Description = "Folder for the new workspace (default: the current folder)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("init", "Create a workspace with an example chain that runs offline")
        {
            Arguments = { dir },
        };
        command.SetAction(
            (parse, _) =>
                CommandAction.Run(async () =>
                {
                    var root = Path.GetFullPath(parse.GetValue(dir) ?? ".");
                    if (File.Exists(Path.Combine(root, "baton.yaml")))
                        throw new UsageException($"'{root}' already has a baton.yaml");
                    Directory.CreateDirectory(Path.Combine(root, "chains"));
                    Directory.CreateDirectory(Path.Combine(root, "prompts"));
                    await WriteNew(Path.Combine(root, "baton.yaml"), WorkspaceTemplate.Config);
                    await WriteNew(Path.Combine(root, "chains", "hello.yaml"), WorkspaceTemplate.HelloChain);
                    await WriteNew(Path.Combine(root, ".gitignore"), "runs/\n");
                    Console.WriteLine($"created workspace {Terminal.Relative(root)}");
                    Console.WriteLine(
                        $"try:  cd {Terminal.Relative(root)} && {Terminal.SelfCommand(root)} run chains/hello.yaml --input name=you"
                    );
                    return ExitCodes.Succeeded;
                })
        );
        return command;
    }

    private static async Task WriteNew(string path, string text)
    {
        if (!File.Exists(path))
            await File.WriteAllTextAsync(path, text);
    }
}
