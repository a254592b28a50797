using Baton.Runs;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Baton.Server;

/// <summary>
/// A request that met a symlink where Baton's own files should be (WorkspaceDirectory refused to follow
/// it), or a secrets store that cannot be used (not this workspace's, damaged), answers 409 with what
/// is wrong, rather than 500: the workspace needs a look, the server is fine.
/// </summary>
internal sealed class WorkspaceProblemHandler(ILogger<WorkspaceProblemHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var title = exception switch
        {
            UnsafePathException => "Refused: a link is in the way",
            Secrets.SecretStoreException => "Secrets cannot be used",
            _ => null,
        };
        if (title is null) return false;
        logger.LogWarning("{Path}: {Reason}", httpContext.Request.Path, exception.Message);
        await Problems.Write(httpContext, StatusCodes.Status409Conflict, title, exception.Message);
        return true;
    }
}
