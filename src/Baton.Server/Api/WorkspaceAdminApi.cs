using System.Globalization;
using System.Text;
using Baton.Chains;
using Baton.Costs;
using Baton.Secrets;
using Baton.Server.Auth;
using Baton.Server.Hosting;
using Baton.Workspaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baton.Server.Api;

/// <summary>Secrets (names only, ever), costs, baton.yaml and the audit log of a workspace.</summary>
public static class WorkspaceAdminApi
{
    private const int MaxSecretBytes = 64 * 1024;
    private const int MaxConfigBytes = 1024 * 1024;

    public sealed record ConfigSaved(string Saved);

    public static void MapWorkspaceAdmin(this IEndpointRouteBuilder app, DataRoot data)
    {
        var ws = app.MapGroup("/api/workspaces/{ws}");

        ws.MapGet("/secrets", (string ws) => Results.Ok(data.OpenWorkspace(ws).Secrets().Names()))
            .Requires(data, Role.Owner);

        ws.MapPut("/secrets/{name}", async (string ws, string name, HttpRequest request, HttpContext http) =>
            {
                if (!SecretStore.IsValidName(name))
                    return Problems.BadRequest($"'{name}' is not a secret name: use [A-Z_][A-Z0-9_]*");
                using var buffer = new MemoryStream();
                await request.Body.CopyToAsync(buffer);
                if (buffer.Length is 0 or > MaxSecretBytes)
                    return Problems.BadRequest("the secret's value is the request body: 1 byte to 64 KiB");
                var value = Encoding.UTF8.GetString(buffer.ToArray()).TrimEnd('\n', '\r');
                data.OpenWorkspace(ws).Secrets().Set(name, value);
                await http.AuditAsync(data, ws, "secret.set", name);
                return Results.NoContent();
            })
            .Requires(data, Role.Owner);

        ws.MapDelete("/secrets/{name}", async (string ws, string name, HttpContext http) =>
            {
                if (!SecretStore.IsValidName(name) || !data.OpenWorkspace(ws).Secrets().Remove(name))
                    return Problems.NotFound($"no secret '{name}'");
                await http.AuditAsync(data, ws, "secret.delete", name);
                return Results.NoContent();
            })
            .Requires(data, Role.Owner);

        ws.MapGet("/costs", (string ws, string? by, string? since) =>
            {
                by ??= "chain";
                if (!CostReport.Groupings.Contains(by))
                    return Problems.BadRequest($"'by' is one of {string.Join(", ", CostReport.Groupings)}");
                DateOnly? from = null;
                if (since is not null)
                {
                    if (
                        !DateOnly.TryParseExact(
                            since,
                            "yyyy-MM-dd",
                            CultureInfo.InvariantCulture,
                            DateTimeStyles.None,
                            out var d
                        )
                    )
                        return Problems.BadRequest($"'since' is a date like 2026-11-01, not '{since}'");
                    from = d;
                }
                var rows = CostReport.Query(Path.Combine(data.WorkspacePath(ws), "runs"), by, from);
                return Results.Ok(rows.ToList());
            })
            .Requires(data, Role.Viewer);

        ws.MapGet("/config", (string ws) =>
            {
                return Results.Text(
                    WorkspaceDirectory.ReadText(data.WorkspacePath(ws), Workspace.ConfigFileName, MaxConfigBytes) ?? "",
                    "application/yaml"
                );
            })
            .Requires(data, Role.Editor);

        ws.MapPut("/config", async (string ws, HttpRequest request, HttpContext http, RunHost host) =>
            {
                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                var yaml = await reader.ReadToEndAsync();
                if (Encoding.UTF8.GetByteCount(yaml) > MaxConfigBytes)
                    return Problems.BadRequest("baton.yaml is at most 1 MiB");
                var file = Path.Combine(data.WorkspacePath(ws), Workspace.ConfigFileName);
                // Checked from the text, before anything is written: nothing lands on disk that would not load.
                try
                {
                    WorkspaceConfig.Parse(file, yaml);
                }
                catch (ChainValidationException e)
                {
                    return ChainsApi.ValidationProblem(data, ws, e.Errors);
                }
                WorkspaceDirectory.WriteFile(
                    data.WorkspacePath(ws),
                    Workspace.ConfigFileName,
                    Encoding.UTF8.GetBytes(yaml)
                );
                host.Reload(ws);
                await http.AuditAsync(data, ws, "config.put", Workspace.ConfigFileName);
                return Results.Ok(new ConfigSaved(Workspace.ConfigFileName));
            })
            .Requires(data, Role.Owner);

        ws.MapGet("/audit", (string ws, int? limit) =>
                Results.Ok(AuditLog.Read(data.WorkspacePath(ws), Math.Clamp(limit ?? 200, 1, 10_000)).ToList())
            )
            .Requires(data, Role.Owner);
    }
}
