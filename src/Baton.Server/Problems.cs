using Microsoft.AspNetCore.Http;

namespace Baton.Server;

/// <summary>RFC 9457 problem+json answers with a message a person can act on.</summary>
public static class Problems
{
    public static IResult Result(int status, string title, string detail) =>
        Results.Problem(title: title, detail: detail, statusCode: status);

    public static IResult NotFound(string detail) => Result(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Forbidden(string detail) => Result(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static IResult Conflict(string detail) => Result(StatusCodes.Status409Conflict, "Conflict", detail);

    public static IResult BadRequest(string detail) => Result(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static Task Write(HttpContext context, int status, string title, string detail) =>
        Result(status, title, detail).ExecuteAsync(context);
}
