using Microsoft.AspNetCore.Http;

namespace Baton.Server.Auth;

/// <summary>
/// Authentication is always on for /api (SPEC §5): a Bearer token, or the UI's session cookie plus
/// its CSRF header on anything that changes state. The resolved Caller is in HttpContext.Items.
/// </summary>
public sealed class AuthMiddleware(RequestDelegate next, TokenStore tokens, SessionStore sessions)
{
    public const string SessionCookie = "baton_session";
    public const string CsrfHeader = "X-CSRF-Token";

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/api") || path.StartsWithSegments("/api/login"))
        {
            await next(context);
            return;
        }
        var caller = Authenticate(context, out var problem);
        if (caller is null)
        {
            await Problems.Write(context, StatusCodes.Status401Unauthorized, "Not authenticated", problem);
            return;
        }
        context.Items[typeof(Caller)] = caller;
        await next(context);
    }

    private Caller? Authenticate(HttpContext context, out string problem)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            problem = "the bearer token is not valid; create one with: baton token create --workspace W --role R";
            return
                tokens.Find(header["Bearer ".Length..].Trim()) is { } record
                && Roles.TryParse(record.Role, out var role)
                ? new Caller(record.Id, record.Name, record.Workspace, role, null)
                : null;
        }
        if (
            context.Request.Cookies.TryGetValue(SessionCookie, out var sessionId)
            && sessions.Find(sessionId) is { } session
        )
        {
            if (
                !HttpMethods.IsGet(context.Request.Method)
                && !HttpMethods.IsHead(context.Request.Method)
                && context.Request.Headers[CsrfHeader].ToString() != session.Csrf
            )
            {
                problem = $"missing or wrong {CsrfHeader} header for this session";
                return null;
            }
            problem = "the session's token no longer exists; log in again";
            var record = tokens.All().FirstOrDefault(t => t.Id == session.TokenId);
            return record is not null && Roles.TryParse(record.Role, out var role)
                ? new Caller(record.Id, record.Name, record.Workspace, role, session)
                : null;
        }
        problem = "send 'Authorization: Bearer <token>', or log in to the web UI";
        return null;
    }
}
