using Baton.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baton.Server.Api;

/// <summary>Logging in to the web UI: a token (or a one-time login code) becomes an HttpOnly cookie session.</summary>
public static class SessionApi
{
    public sealed record LoginRequest(string? Token);

    public sealed record SessionAnswer(string Name, string Workspace, string Role, string? Csrf);

    public sealed record LoginAnswer(string Workspace, string Role, string Csrf);

    public static void MapSessions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/login", (LoginRequest request, HttpContext http, TokenStore tokens, SessionStore sessions) =>
        {
            if (request.Token is not { Length: > 0 } token || tokens.Find(token) is not { } record)
                return Problems.Result(
                    StatusCodes.Status401Unauthorized,
                    "Not authenticated",
                    "that token is not valid"
                );
            return StartSession(http, sessions, record);
        });

        app.MapGet("/login", (string? code, HttpContext http, TokenStore tokens, SessionStore sessions) =>
        {
            var tokenId = code is null ? null : sessions.RedeemLoginCode(code);
            var record = tokenId is null ? null : tokens.All().FirstOrDefault(t => t.Id == tokenId);
            if (record is null)
                return Results.Redirect("/#login-expired");
            StartSession(http, sessions, record);
            return Results.Redirect("/");
        });

        app.MapPost("/api/logout", (HttpContext http, SessionStore sessions) =>
        {
            if (http.Caller().Session is { } session)
                sessions.Remove(session.Id);
            http.Response.Cookies.Delete(AuthMiddleware.SessionCookie);
            return Results.NoContent();
        });

        app.MapGet("/api/session", (HttpContext http) =>
        {
            var caller = http.Caller();
            return Results.Ok(
                new SessionAnswer(caller.Name, caller.Workspace, Roles.Name(caller.Role), caller.Session?.Csrf)
            );
        });
    }

    private static IResult StartSession(HttpContext http, SessionStore sessions, TokenStore.TokenRecord record)
    {
        var session = sessions.Create(record.Id);
        http.Response.Cookies.Append(
            AuthMiddleware.SessionCookie,
            session.Id,
            new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = http.Request.IsHttps,
                Path = "/",
                MaxAge = SessionStore.Lifetime,
            }
        );
        return Results.Ok(new LoginAnswer(record.Workspace, record.Role, session.Csrf));
    }
}
