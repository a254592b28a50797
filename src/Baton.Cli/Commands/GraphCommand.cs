using System.CommandLine;
using Baton.Chains;

namespace Baton.Cli.Commands;

/// <summary>`baton graph CHAIN [--mermaid | --dot]`: what starts each agent, drawn from the loaded chain (docs/cli.md).</summary>
public static class GraphCommand
{
    public static Command Create()
    {
        var chainArgument = new Argument<string>("chain")
        {
            Description = "Chain file (.yaml), or the name of one in the workspace's chains/",
        };
        var mermaid = new Option<bool>("--mermaid") { Description = "A Mermaid flowchart" };
        var dot = new Option<bool>("--dot") { Description = "A Graphviz dot graph" };
        var command = new Command("graph", "Show what starts each agent: needs, events, conditions, quorums, loops")
        {
            Arguments = { chainArgument },
            Options = { mermaid, dot },
        };
        command.SetAction(
            (parse, _) =>
                CommandAction.Run(() =>
                {
                    if (parse.GetValue(mermaid) && parse.GetValue(dot))
                        throw new UsageException("choose one of --mermaid and --dot");
                    var chainPath = RunCommand.ResolveChainPath(parse.GetValue(chainArgument)!, parse);
                    var workspace = CliWorkspace.Open(parse, Path.GetDirectoryName(chainPath));
                    var chain = ChainLoader.LoadFile(chainPath, workspace.Root);
                    Console.Write(
                        parse.GetValue(mermaid) ? ChainDrawing.Mermaid(chain)
                        : parse.GetValue(dot) ? ChainDrawing.Dot(chain)
                        : ChainDrawing.Text(chain)
                    );
                    return Task.FromResult(ExitCodes.Succeeded);
                })
        );
        return command;
    }
}
