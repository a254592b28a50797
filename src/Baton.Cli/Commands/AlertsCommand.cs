using System.CommandLine;
using System.Globalization;
using System.Text;
using Baton.Monitoring;

namespace Baton.Cli.Commands;

/// <summary>`baton alerts`: the workspace's monitoring alerts (.baton/alerts.jsonl), newest last.</summary>
public static class AlertsCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "One JSON object per line, as stored" };
        var last = new Option<int>("--last") { Description = "Show only the newest N", DefaultValueFactory = _ => 50 };
        var signingKey = new Option<bool>("--signing-key")
        {
            Description =
                "Print the key alerts.webhook deliveries are signed with (X-Baton-Signature-256), for the receiver",
        };
        var command = new Command("alerts", "Cost, provider and quality alerts of this workspace")
        {
            Options = { json, last, signingKey },
        };
        command.SetAction(
            (parse, _) =>
                CommandAction.Run(() =>
                {
                    var workspace = CliWorkspace.Open(parse);
                    if (parse.GetValue(signingKey))
                    {
                        Console.WriteLine(AlertWebhook.SigningKey(workspace));
                        return Task.FromResult(ExitCodes.Succeeded);
                    }
                    var alerts = AlertLog.Read(workspace.Root).TakeLast(Math.Max(1, parse.GetValue(last))).ToList();
                    if (parse.GetValue(json))
                        foreach (var alert in alerts)
                            Console.WriteLine(Encoding.UTF8.GetString(alert.ToJson(line: false)));
                    else if (alerts.Count == 0)
                        Console.WriteLine("no alerts");
                    else
                        foreach (var alert in alerts)
                            Console.WriteLine(
                                $"{alert.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}  {alert.Type, -20} {alert.Message}"
                            );
                    return Task.FromResult(ExitCodes.Succeeded);
                })
        );
        return command;
    }
}
