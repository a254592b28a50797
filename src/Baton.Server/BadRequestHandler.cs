using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Baton.Server;

/// <summary>
/// Kestrel refuses a body over its limit (MaxRequestBodySize, 30,000,000 bytes) by throwing
/// BadHttpRequestException when an endpoint reads it; unhandled, that was a 500. Here it is the
/// status Kestrel meant (413 for a body too large) as problem+json that says the limit.
/// </summary>
internal sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public const string TooLarge = "the request body is over the server's limit of 30 MB (30,000,000 bytes); chains are at most 1 MiB (docs/chains.md, Limits)";

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        http.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = bad.StatusCode, Title = "Bad request", Detail = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge : bad.Message },
        });
    }

    /// <summary>The same words when the framework answered 413 itself (a JSON body bound by a minimal API).</summary>
    public static void Describe(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge) context.ProblemDetails.Detail ??= TooLarge;
    }
}
