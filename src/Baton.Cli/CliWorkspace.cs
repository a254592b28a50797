using System.CommandLine;
using Baton.Chains;
using Baton.Workspaces;

namespace Baton.Cli;

/// <summary>Which workspace a command works in: --workspace, else the nearest folder with a baton.yaml, else the current folder.</summary>
public static class CliWorkspace
{
    public static Option<string?> Option { get; } =
        new("--workspace", "-w")
        {
            Description = "Workspace folder (default: the nearest folder with a baton.yaml, else the current folder)",
            Recursive = true,
        };

    public static Workspace Open(ParseResult parse, string? startAt = null)
    {
        var root = parse.GetValue(Option) is { } given
            ? Path.GetFullPath(given)
            : Workspace.Locate(startAt ?? Environment.CurrentDirectory, Environment.CurrentDirectory);
        if (!Directory.Exists(root))
            throw new UsageException($"workspace folder '{root}' does not exist");
        try
        {
            return Workspace.Open(root);
        }
        catch (ChainValidationException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>A command's CHAIN argument (a name in chains/ or a file): its path, its workspace, its text, the chain.</summary>
    public static (string Path, Workspace Workspace, string Yaml, Chain Chain) LoadChain(
        ParseResult parse,
        Argument<string> chainArgument
    )
    {
        var path = Commands.RunCommand.ResolveChainPath(parse.GetValue(chainArgument)!, parse);
        var workspace = Open(parse, System.IO.Path.GetDirectoryName(path));
        return (path, workspace, File.ReadAllText(path), ChainLoader.LoadFile(path, workspace.Root));
    }
}
