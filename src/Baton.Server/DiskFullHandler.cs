using Baton.Runs;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Baton.Server;

/// <summary>
/// A request that could not be stored because the disk (or quota) is full answers 507 with a problem+json, not 500.
/// Every writer leaves nothing half-made behind (run folders are renamed into place, inbox files too), so the caller
/// can simply try again once space is freed. The detail names no server path: the tenant only learns that the disk is full.
/// </summary>
internal sealed class DiskFullHandler(ILogger<DiskFullHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (!DiskSpace.IsFull(exception)) return false;
        logger.LogWarning("{Method} {Path}: the disk is full: {Message}", http.Request.Method, http.Request.Path, exception.Message);
        await Problems.Write(http, StatusCodes.Status507InsufficientStorage, "Insufficient storage",
            "the server's disk is full: nothing was stored; try again once the operator has freed space");
        return true;
    }
}
