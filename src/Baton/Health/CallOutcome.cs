using Baton.Providers;

namespace Baton.Health;

/// <summary>
/// The classes an LLM call's health is counted in (docs/monitoring.md): what a person does about each
/// differs — wait (rate_limit), look at the provider's status page (server_error), raise the timeout
/// (timeout), check the network or base_url (connection), fix the request (client_error).
/// </summary>
public static class CallOutcome
{
    public const string Ok = "ok";
    public const string RateLimit = "rate_limit";
    public const string ServerError = "server_error";
    public const string Timeout = "timeout";
    public const string Connection = "connection";
    public const string ClientError = "client_error";

    /// <summary>The breaker was open, so the call was never sent.</summary>
    public const string CircuitOpen = "circuit_open";

    /// <summary>The provider answered 2xx with a reply Baton could not read.</summary>
    public const string Unreadable = "unreadable";

    public static readonly string[] ErrorClasses = [RateLimit, ServerError, Timeout, Connection, ClientError];

    public static string Of(CallAttempt attempt) =>
        attempt switch
        {
            { Status: 429 } => RateLimit,
            { Status: 408 } => Timeout,
            { Status: >= 500 } => ServerError,
            { Status: >= 400 } => ClientError,
            { Status: not null } => Ok,
            { Error: "timeout" } => Timeout,
            _ => Connection,
        };

    /// <summary>How the whole call ended: ok, or the class of its last failed attempt.</summary>
    public static string Of(CallRecorder recorder, bool failed)
    {
        if (!failed)
            return Ok;
        if (recorder.CircuitRefused)
            return CircuitOpen;
        var attempts = recorder.Attempts.ToList();
        return attempts.Count == 0 ? Connection
            : Of(attempts[^1]) is var last && last == Ok ? Unreadable
            : last;
    }
}
