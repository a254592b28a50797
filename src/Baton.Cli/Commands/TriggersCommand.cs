using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Baton.Chains;

namespace Baton.Cli.Commands;

/// <summary>`baton triggers`: what starts this workspace's chains by itself, and when a schedule fires next.</summary>
public static class TriggersCommand
{
    public sealed record Row(
        [property: JsonPropertyName("chain")] string Chain,
        [property: JsonPropertyName("kind")] string Kind,
        [property: JsonPropertyName("what")] string What,
        [property: JsonPropertyName("next")] DateTimeOffset? Next,
        [property: JsonPropertyName("line")] int Line
    );

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "JSON list" };
        var command = new Command(
            "triggers",
            "List the triggers of the workspace's chains (chains/*.yaml), with each schedule's next firing"
        )
        {
            Options = { json },
        };
        command.SetAction(
            (parse, _) =>
                CommandAction.Run(() =>
                {
                    var workspace = CliWorkspace.Open(parse);
                    var chains = WorkspaceChains.Load(workspace.Root);
                    foreach (var error in chains.SelectMany(c => c.Errors))
                        Console.Error.WriteLine(error);
                    var cycles = AfterCycles.Find(chains.Where(c => c.Chain is not null).Select(c => c.Chain!));
                    foreach (var chain in chains.Where(c => cycles.Contains(c.Name)))
                        Console.Error.WriteLine(
                            $"{chain.File}: '{chain.Name}' is on a cycle of 'after:' triggers (chains that start each other forever); the server starts none of them: break the cycle"
                        );
                    var rows = Rows(chains, DateTimeOffset.UtcNow);
                    if (parse.GetValue(json))
                        Console.WriteLine(JsonSerializer.Serialize(rows, TriggersJson.Default.ListRow));
                    else if (rows.Count == 0)
                        Console.WriteLine("no triggers (a chain declares them under 'triggers:', docs/chains.md)");
                    foreach (var row in parse.GetValue(json) ? [] : rows)
                    {
                        var next = row
                            .Next?.ToLocalTime()
                            .ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
                        Console.WriteLine(
                            $"{row.Chain, -24} {row.Kind, -9} {row.What}{(next is null ? "" : $"  next: {next}")}"
                        );
                    }
                    return Task.FromResult(
                        chains.Any(c => c.Errors.Count > 0) || cycles.Count > 0
                            ? ExitCodes.InvalidInput
                            : ExitCodes.Succeeded
                    );
                })
        );
        return command;
    }

    public static List<Row> Rows(IEnumerable<WorkspaceChains.Entry> chains, DateTimeOffset now) =>
        [
            .. chains
                .Where(c => c.Chain is not null)
                .SelectMany(c =>
                    c.Chain!.Triggers.Select(t => new Row(
                        c.Name,
                        t.Kind,
                        t.Describe(),
                        (t as ScheduleTrigger)?.Next(now),
                        t.Location.Line
                    ))
                ),
        ];
}

[JsonSerializable(typeof(List<TriggersCommand.Row>))]
internal sealed partial class TriggersJson : JsonSerializerContext;
