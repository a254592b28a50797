using Baton.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baton.Server.Api;

internal static class HttpContextExtensions
{
    public static Caller Caller(this HttpContext context) =>
        context.Items[typeof(Caller)] as Caller
        ?? throw new InvalidOperationException("no authenticated caller; AuthMiddleware must run first");

    /// <summary>Appends the caller's action to the workspace's audit log: who by name and by token id (two tokens may share a name).</summary>
    public static Task AuditAsync(
        this HttpContext context,
        DataRoot data,
        string workspace,
        string action,
        string target,
        string? detail = null
    )
    {
        var caller = context.Caller();
        return Workspaces.AuditLog.AppendAsync(
            data.WorkspacePath(workspace),
            caller.Name,
            "api",
            action,
            target,
            detail,
            caller.TokenId
        );
    }
}

/// <summary>
/// Every /api/workspaces/{ws}/... route: a workspace the caller has no role in answers 404, exactly as
/// a missing one (SPEC §5), and a role below the route's need answers 403.
/// </summary>
internal sealed class WorkspaceAccess(DataRoot data, Role needed) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var ws = http.GetRouteValue("ws") as string ?? "";
        var caller = http.Caller();
        if (!caller.Sees(ws) || !data.WorkspaceExists(ws))
            return Problems.NotFound($"no workspace '{ws}'");
        if (caller.Role < needed)
            return Problems.Forbidden(
                $"this needs the {Roles.Name(needed)} role in '{ws}'; your token is a {Roles.Name(caller.Role)}"
            );
        return await next(context);
    }
}

internal static class WorkspaceAccessExtensions
{
    public static TBuilder Requires<TBuilder>(this TBuilder builder, DataRoot data, Role role)
        where TBuilder : IEndpointConventionBuilder => builder.AddEndpointFilter(new WorkspaceAccess(data, role));
}
