using System.CommandLine;
using Baton.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Baton.Cli.Commands;

public static class ServeCommand
{
    public static Option<string> DataOption() =>
        new("--data")
        {
            Description = "The server's data folder (workspaces/, server/)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("BATON_DATA") ?? "baton-data",
        };

    public static Command Create()
    {
        var data = DataOption();
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen",
            DefaultValueFactory = _ => "http://127.0.0.1:5080",
        };
        var allowEnv = new Option<string[]>("--allow-env")
        {
            Description =
                "A server environment variable workspaces may read with ${env:NAME} (repeatable; none by default)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var slots = new Option<int?>("--agent-slots")
        {
            Description =
                "Process agents (run:, cli:) running at once across all workspaces, shared fairly (default: 8 per core); prompt: agents take none",
        };
        var otlp = new Option<Uri?>("--otlp-endpoint")
        {
            Description =
                "Send traces and metrics over OTLP/HTTP to this collector (e.g. http://127.0.0.1:4318); the standard OTEL_EXPORTER_OTLP_* variables work too",
        };
        var allowPrivateNotify = new Option<bool>("--allow-private-notify")
        {
            Description =
                "Let chains' notify: and alerts webhooks reach loopback, private and link-local addresses (off: public addresses only)",
        };
        var publicUrl = new Option<Uri?>("--public-url")
        {
            Description =
                "The server's address as people open it, for links in notify: payloads (default: the first --urls)",
        };
        var ceilings = new OperatorLimitOptions();
        var command = new Command("serve", "The server: runs every workspace's chains, the HTTP API and the web UI")
        {
            Options = { data, urls, allowEnv, slots, otlp, allowPrivateNotify, publicUrl },
        };
        ceilings.AddTo(command);
        command.SetAction(
            (parse, cancellationToken) =>
                CommandAction.Run(async () =>
                {
                    var listen = parse.GetValue(urls)!;
                    var settings = new Baton.Server.Hosting.ServerSettings
                    {
                        AllowedEnvironment = (parse.GetValue(allowEnv) ?? []).ToHashSet(StringComparer.Ordinal),
                        OtlpEndpoint = parse.GetValue(otlp),
                        AllowPrivateNotify = parse.GetValue(allowPrivateNotify),
                        PublicUrl = parse.GetValue(publicUrl) ?? ListenedUrl(listen),
                    };
                    settings = settings with { Limits = ceilings.Read(parse) };
                    if (parse.GetValue(slots) is { } n)
                        settings = settings with
                        {
                            AgentSlots = n > 0 ? n : throw new UsageException("--agent-slots must be at least 1"),
                        };
                    var app = BatonServer.Build(
                        new ServerOptions(parse.GetValue(data)!, listen) { Settings = settings }
                    );
                    await app.StartAsync(cancellationToken);
                    // What Kestrel bound: a port of 0 in --urls is the free port it took.
                    var bound = app.Urls.ToList();
                    Console.WriteLine(
                        $"baton serving {Path.GetFullPath(parse.GetValue(data)!)} on {string.Join(" ", bound)} (Ctrl-C stops it)"
                    );
                    Console.WriteLine(Baton.Isolation.LimitEnforcement.Detected.Describe());
                    Console.WriteLine(
                        $"/metrics takes the operator's token in {Baton.Server.Hosting.MetricsAccess.TokenFile(app.Services.GetRequiredService<DataRoot>())}"
                    );
                    Console.WriteLine(
                        settings.RunAgentsAsWorkspaceUsers
                            ? "agents run as their workspace's own user (baton-<workspace>)"
                            : "not root: every workspace's agents run as this user"
                    );
                    foreach (var line in BatonServer.Bootstrap(app, settings.PublicUrl?.ToString() ?? bound[0]))
                        Console.WriteLine(line);
                    await app.WaitForShutdownAsync(cancellationToken);
                    return ExitCodes.Succeeded;
                })
        );
        return command;
    }

    /// <summary>
    /// The first --urls address, as links' base when --public-url is not given; none for a port of 0, which is not
    /// known until Kestrel has bound it (links are then left out rather than pointing at port 0).
    /// </summary>
    private static Uri? ListenedUrl(string listen) =>
        new Uri(listen.Split(';')[0]) is { Port: not 0 } first ? first : null;
}
