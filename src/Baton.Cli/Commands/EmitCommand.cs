using System.CommandLine;
using System.Text.Json;
using Baton.Events;
using Baton.Runs;

namespace Baton.Cli.Commands;

public static class EmitCommand
{
    public static Command Create()
    {
        var typeArgument = new Argument<string>("type")
        {
            Description = "Event name, e.g. ready; it becomes <agent>.ready",
        };
        var data = new Option<string?>("--data") { Description = "The event's data as JSON (default {})" };
        var command = new Command(
            "emit",
            "From inside an agent's script: emit a custom event (returns once it is durable)"
        )
        {
            Arguments = { typeArgument },
            Options = { data },
        };
        command.SetAction(
            (parse, _) =>
                CommandAction.Run(async () =>
                {
                    var inbox = Environment.GetEnvironmentVariable("BATON_INBOX");
                    if (string.IsNullOrEmpty(inbox) || !Directory.Exists(inbox))
                        throw new UsageException(
                            "baton emit runs inside an agent's script (BATON_INBOX is not set to an existing folder)"
                        );
                    var type = parse.GetValue(typeArgument)!;
                    if (!EventFiles.TypePattern().IsMatch(type) || type.Contains('.', StringComparison.Ordinal))
                        throw new UsageException(
                            $"'{type}' is not a valid event name: use lower-case letters, digits, '-', '_' and ':', starting with a letter"
                        );
                    if (EventTypes.IsEngineSuffix(type))
                        throw new UsageException($"'{type}' is written by the engine itself; pick another name");
                    JsonElement payload;
                    try
                    {
                        payload = parse.GetValue(data) is { } json
                            ? JsonDocument.Parse(json).RootElement.Clone()
                            : EventJson.EmptyObject;
                    }
                    catch (JsonException e)
                    {
                        throw new UsageException($"--data is not valid JSON: {e.Message}");
                    }
                    await InboxWriter.WriteAsync(inbox, type, payload);
                    return ExitCodes.Succeeded;
                })
        );
        return command;
    }
}
