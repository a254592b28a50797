namespace Baton.Providers;

/// <summary>
/// A provider call that failed for good (after Baton's retries). Reason is the agent's failure
/// reason (`provider`, `timeout`, `unreachable`, `rate_limit`); Message is what the provider said,
/// never containing a key (the HTTP layer sees keys only in headers, which are never copied here).
/// </summary>
public sealed class ProviderException(string reason, string message, int? status = null, Exception? inner = null)
    : Exception(message, inner)
{
    public string Reason { get; } = reason;
    public int? Status { get; } = status;

    /// <summary>The first ProviderException in an exception's chain: SDKs wrap what the HTTP layer throws.</summary>
    public static ProviderException? Find(Exception? e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is ProviderException p)
                return p;
            if (
                current is AggregateException { InnerExceptions.Count: > 0 } a
                && Find(a.InnerExceptions[0]) is { } inner
            )
                return inner;
        }
        return null;
    }
}
