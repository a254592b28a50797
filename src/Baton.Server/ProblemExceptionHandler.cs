using Baton.Runs;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Baton.Server;

/// <summary>
/// The exceptions a request can meet that are not the server's fault, each answered as problem+json
/// with what to do instead of a 500 — one place that says which exception answers what:
/// - a link where Baton's own files should be (WorkspaceDirectory refused to follow it), or a secrets store
///   that cannot be used (not this workspace's, damaged): 409 — the workspace needs a look, the server is fine;
/// - a full disk (or quota): 507. Every writer leaves nothing half-made (run folders and inbox files are
///   renamed into place), so the caller can try again once space is freed; the detail names no server path;
/// - a body over Kestrel's limit (MaxRequestBodySize, 30,000,000 bytes), thrown when an endpoint reads it:
///   413 saying the limit (other BadHttpRequestExceptions: the status Kestrel meant).
/// </summary>
internal sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public const string TooLarge =
        "the request body is over the server's limit of 30 MB (30,000,000 bytes); chains are at most 1 MiB (docs/chains.md, Limits)";

    public async ValueTask<bool> TryHandleAsync(
        HttpContext http,
        Exception exception,
        CancellationToken cancellationToken
    )
    {
        (int Status, string Title, string Detail)? problem = exception switch
        {
            UnsafePathException => (StatusCodes.Status409Conflict, "Refused: a link is in the way", exception.Message),
            Secrets.SecretStoreException => (
                StatusCodes.Status409Conflict,
                "Secrets cannot be used",
                exception.Message
            ),
            _ when DiskSpace.IsFull(exception) => (
                StatusCodes.Status507InsufficientStorage,
                "Insufficient storage",
                "the server's disk is full: nothing was stored; try again once the operator has freed space"
            ),
            BadHttpRequestException bad => (
                bad.StatusCode,
                "Bad request",
                bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge : bad.Message
            ),
            _ => null,
        };
        if (problem is not var (status, title, detail))
            return false;
        if (exception is not BadHttpRequestException)
            logger.LogWarning(
                "{Method} {Path}: {Title}: {Message}",
                http.Request.Method,
                http.Request.Path,
                title,
                exception.Message
            );
        await Problems.Write(http, status, title, detail);
        return true;
    }

    /// <summary>The same words when the framework answered 413 itself (a JSON body bound by a minimal API).</summary>
    public static void Describe(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge)
            context.ProblemDetails.Detail ??= TooLarge;
    }
}
