using Baton.Runs;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Baton.Server;

/// <summary>
/// A request that met a symlink where Baton's own files should be (WorkspaceDirectory refused to follow
/// it) answers 409 with what was in the way, rather than 500: the workspace needs a look, the server is fine.
/// </summary>
internal sealed class UnsafePathHandler(ILogger<UnsafePathHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not UnsafePathException unsafePath) return false;
        logger.LogWarning("{Path}: {Reason}", httpContext.Request.Path, unsafePath.Message);
        await Problems.Write(httpContext, StatusCodes.Status409Conflict, "Refused: a link is in the way", unsafePath.Message);
        return true;
    }
}
