using Baton.Server.Api;
using Baton.Server.Auth;
using Baton.Server.Hosting;
using Baton.Server.Triggers;
using Baton.Workspaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Baton.Server;

public sealed record ServerOptions(string DataPath, string Urls)
{
    public ServerSettings Settings { get; init; } = new();
}

/// <summary>`baton serve`: the engine for every workspace's runs, the HTTP API and the web UI, in one process.</summary>
public static class BatonServer
{
    /// <exception cref="DataFolderUnreachableException">Agents would run as workspace users who cannot reach the data folder.</exception>
    public static WebApplication Build(ServerOptions options)
    {
        if (options.Settings.RunAgentsAsWorkspaceUsers && DataFolderReach.Problem(options.DataPath) is { } problem)
            throw new DataFolderUnreachableException(problem);
        var data = new DataRoot(options.DataPath);
        var builder = WebApplication.CreateSlimBuilder(
            new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory }
        );
        builder.WebHost.UseUrls(options.Urls);
        // Warnings only: `baton serve` prints where it listens itself; ASP.NET's start-up lines ("Content root path:
        // …/.baton/bin") only buried the first start's token and login link for a newcomer.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(data);
        builder.Services.AddSingleton(new TokenStore(data.TokensFile));
        builder.Services.AddSingleton(new SessionStore(Path.Combine(data.ServerPath, "sessions")));
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddBatonTelemetry(options.Settings);
        builder.Services.AddSingleton(options.Settings);
        builder.Services.AddSingleton<RunHost>();
        builder.Services.AddSingleton<Promotions.PromotionOpener>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RunHost>());
        builder.Services.AddSingleton<Triggers.TriggerStarter>();
        builder.Services.AddSingleton<Triggers.FileTriggers>();
        builder.Services.AddHostedService<Triggers.ScheduleTriggers>();
        builder.Services.AddHostedService<Monitoring.CanarySchedule>();
        builder.Services.AddSingleton(sp => new Triggers.WebhookDeliveries(data, options.Settings.Time));
        builder.Services.AddSingleton<Triggers.AfterTriggers>();
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemExceptionHandler.Describe);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            // Only the generated contract, never reflection (which AOT lacks): a type left out of ApiJson fails
            // the server's tests under the JIT exactly as it would fail the published, native baton.
            json.SerializerOptions.TypeInfoResolver = Api.ApiJson.Default;
        });

        var app = builder.Build();
        app.Services.GetRequiredService<ServerMetrics>().Observe(app.Services.GetRequiredService<RunHost>());
        var after = app.Services.GetRequiredService<AfterTriggers>();
        app.Services.GetRequiredService<RunHost>().Finished += (ws, run, outcome) =>
            _ = Task.Run(() => after.OnFinishedAsync(ws, run, outcome.Status, outcome.Chain));
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(
            async (context, next) =>
            {
                context.RequestServices.GetRequiredService<ServerMetrics>().Request();
                context.Response.Headers["X-Content-Type-Options"] = "nosniff";
                context.Response.Headers["Referrer-Policy"] = "no-referrer";
                if (!context.Request.Path.StartsWithSegments("/api"))
                    context.Response.Headers.ContentSecurityPolicy =
                        "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
                await next();
            }
        );
        app.UseMiddleware<AuthMiddleware>();

        var wwwroot = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (Directory.Exists(wwwroot))
        {
            var files = new PhysicalFileProvider(wwwroot);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }

        app.MapGet("/healthz", () => Results.Text("ok\n"));
        MetricsAccess.EnsureToken(data);
        var tokenStore = app.Services.GetRequiredService<TokenStore>();
        app.MapPrometheusScrapingEndpoint(
            "/metrics",
            meterProvider: null,
            configureBranchedPipeline: branch =>
                branch.Use((http, next) => MetricsAccess.Guard(http, data, tokenStore, () => next(http))),
            optionsName: null
        );
        app.MapGet("/api/workspaces", (HttpContext http) =>
        {
            var caller = http.Caller();
            return Results.Ok(
                data.WorkspaceExists(caller.Workspace)
                    ? [new Api.WorkspaceEntry(caller.Workspace, Roles.Name(caller.Role))]
                    : new List<Api.WorkspaceEntry>()
            );
        });
        app.MapSessions();
        app.MapChains(data);
        app.MapRuns(data);
        app.MapRunDetails(data);
        app.MapPrompts(data);
        app.MapPromptVersions(data);
        app.MapPromotions(data, options.Settings);
        app.MapTokens(data);
        app.MapDecisions(data);
        app.MapWorkspaceAdmin(data);
        app.MapMonitoring(data, TimeProvider.System);
        app.MapWebhooks(data);
        return app;
    }

    /// <summary>
    /// First start on an empty data folder: a `default` workspace and an owner token for it, and a
    /// one-time login URL for the web UI. Returns the lines to print.
    /// </summary>
    public static IReadOnlyList<string> Bootstrap(WebApplication app, string publicUrl)
    {
        var data = app.Services.GetRequiredService<DataRoot>();
        var tokens = app.Services.GetRequiredService<TokenStore>();
        if (tokens.All().Count > 0)
            return [];
        if (!data.WorkspaceExists("default"))
        {
            // With a chain to run, the web UI's first screen has something to start (it can't create chains).
            var workspace = data.CreateWorkspace("default");
            File.WriteAllText(Path.Combine(workspace.Root, "chains", "hello.yaml"), WorkspaceTemplate.HelloChain);
        }
        var (token, record) = tokens.Create("default", Role.Owner, "owner (first start)");
        var code = app.Services.GetRequiredService<SessionStore>().CreateLoginCode(record.Id, TimeSpan.FromHours(1));
        return
        [
            "first start: created workspace 'default' (with an example chain, hello) and an owner token for it (shown only now, store it safely):",
            $"  {token}",
            $"log in to the web UI (this link works once, for an hour): {publicUrl.TrimEnd('/')}/login?code={Uri.EscapeDataString(code)}",
        ];
    }
}
