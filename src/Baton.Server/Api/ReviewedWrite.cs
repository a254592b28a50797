using Baton.Prompts;
using Baton.Server.Hosting;
using Baton.Workspaces;
using Microsoft.AspNetCore.Http;

namespace Baton.Server.Api;

/// <summary>
/// A PUT of a chain, prompt file or case file: written to production, or — when the workspace has
/// `review: required` — staged under .baton/staging/ with who staged it, for a promotion to review.
/// </summary>
internal static class ReviewedWrite
{
    public static bool ReviewRequired(RunHost host, string ws) => host.WorkspaceOf(ws).Config.ReviewRequired;

    /// <returns>True when the file was staged rather than written to production.</returns>
    public static async Task<bool> WriteAsync(
        DataRoot data,
        RunHost host,
        HttpContext http,
        string ws,
        string relative,
        byte[] bytes,
        string what,
        string target
    )
    {
        var root = data.WorkspacePath(ws);
        if (!ReviewRequired(host, ws))
        {
            WorkspaceDirectory.WriteFile(root, relative, bytes, createParent: true);
            await http.AuditAsync(data, ws, $"{what}.put", target);
            return false;
        }
        var staging = new Staging(root);
        var caller = http.Caller();
        await staging.Gate.WaitAsync();
        try
        {
            staging.Stage(relative, bytes, caller.Name, caller.TokenId, DateTimeOffset.UtcNow);
        }
        finally
        {
            staging.Gate.Release();
        }
        await http.AuditAsync(data, ws, $"{what}.stage", target);
        return true;
    }
}
