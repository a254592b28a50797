using Baton.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baton.Server.Api;

/// <summary>
/// A workspace's API tokens, for its owners: list (never the secret), create (the token is shown once),
/// revoke. Only this workspace's tokens are seen or touched; another's id is a 404.
/// </summary>
public static class TokensApi
{
    public sealed record TokenAnswer(string Id, string Name, string Role, DateTimeOffset Created);

    public sealed record TokenCreated(string Id, string Name, string Role, DateTimeOffset Created, string Token);

    public sealed record CreateRequest(string? Name, string? Role);

    public static void MapTokens(this IEndpointRouteBuilder app, DataRoot data)
    {
        var tokens = app.MapGroup("/api/workspaces/{ws}/tokens");

        tokens
            .MapGet("/", (string ws, TokenStore store) =>
                Results.Ok(
                    store
                        .All()
                        .Where(t => t.Workspace == ws)
                        .OrderBy(t => t.Created)
                        .Select(t => new TokenAnswer(t.Id, t.Name, t.Role, t.Created))
                        .ToList()
                )
            )
            .Requires(data, Role.Owner);

        tokens
            .MapPost("/", async (string ws, CreateRequest request, TokenStore store, HttpContext http) =>
            {
                if (request.Role is null || !Roles.TryParse(request.Role, out var role))
                    return Problems.BadRequest("'role' is viewer, reviewer, editor or owner");
                var name = request.Name?.Trim();
                if (string.IsNullOrEmpty(name) || name.Length > 100)
                    return Problems.BadRequest("'name' says whose token it is: 1 to 100 characters");
                var (token, record) = store.Create(ws, role, name);
                await http.AuditAsync(data, ws, "token.create", record.Id, $"{record.Role} {name}");
                return Results.Created(
                    $"/api/workspaces/{ws}/tokens/{record.Id}",
                    new TokenCreated(record.Id, record.Name, record.Role, record.Created, token)
                );
            })
            .Requires(data, Role.Owner);

        tokens
            .MapDelete("/{id}", async (string ws, string id, TokenStore store, HttpContext http) =>
            {
                if (store.All().FirstOrDefault(t => t.Id == id && t.Workspace == ws) is null)
                    return Problems.NotFound($"no token '{id}'");
                if (http.Caller().TokenId == id)
                    return Problems.Conflict(
                        "that is the token you are using; revoke it with another owner's token or `baton token`"
                    );
                store.Revoke(id);
                await http.AuditAsync(data, ws, "token.revoke", id);
                return Results.NoContent();
            })
            .Requires(data, Role.Owner);
    }
}
