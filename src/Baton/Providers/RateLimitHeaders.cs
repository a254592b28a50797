using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Baton.Providers;

/// <summary>
/// What a provider's reply says about when to send the next call: a 429's Retry-After, or a
/// rate-limit header pair saying nothing is left until a reset — OpenAI's
/// `x-ratelimit-remaining-requests: 0` + `x-ratelimit-reset-requests: 6m0s` (also `-tokens`),
/// Anthropic's `anthropic-ratelimit-requests-remaining: 0` + `…-reset: 2026-01-01T00:00:00Z`.
/// Any `*ratelimit*remaining*` header at 0 with its `remaining`→`reset` twin counts.
/// </summary>
public static partial class RateLimitHeaders
{
    /// <summary>How long the provider asked callers to wait, or null when it did not.</summary>
    public static TimeSpan? Pause(HttpResponseMessage response, DateTimeOffset now)
    {
        TimeSpan? longest = null;
        if (response.StatusCode == HttpStatusCode.TooManyRequests && RetryAfter(response, now) is { } retry)
            longest = retry;
        // Read as sent (NonValidated): enumerating the typed headers parses and copies every one of them, per reply.
        var headers = response.Headers.NonValidated;
        foreach (var (name, values) in headers)
        {
            if (
                !name.Contains("ratelimit", StringComparison.OrdinalIgnoreCase)
                || !name.Contains("remaining", StringComparison.OrdinalIgnoreCase)
            )
                continue;
            if (First(values)?.Trim() != "0")
                continue;
            var resetName = name.Replace("remaining", "reset", StringComparison.OrdinalIgnoreCase);
            if (!headers.TryGetValues(resetName, out var reset) || Until(First(reset), now) is not { } wait)
                continue;
            if (longest is null || wait > longest)
                longest = wait;
        }
        return longest;
    }

    private static string? First(HeaderStringValues values)
    {
        foreach (var value in values)
            return value;
        return null;
    }

    /// <summary>retry-after-ms (OpenAI) or Retry-After in seconds or as a date (RFC 9110).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (
            response.Headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), CultureInfo.InvariantCulture, out var milliseconds)
            && milliseconds >= 0
        )
            return TimeSpan.FromMilliseconds(milliseconds);
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
                return delta;
            if (retryAfter.Date is { } date)
                return date > now ? date - now : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>A reset as seconds ("20"), a Go-style duration ("1m30.5s", "20ms") or a date.</summary>
    public static TimeSpan? Until(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        value = value.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        if (GoDuration().Match(value) is { Success: true, Length: > 0 } m)
        {
            double Part(string group) =>
                m.Groups[group].Success ? double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
            return TimeSpan.FromHours(Part("h"))
                + TimeSpan.FromMinutes(Part("m"))
                + TimeSpan.FromSeconds(Part("s"))
                + TimeSpan.FromMilliseconds(Part("ms"));
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            return date > now ? date - now : TimeSpan.Zero;
        return null;
    }

    [GeneratedRegex(
        @"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m(?!s))?(?:(?<s>\d+(?:\.\d+)?)s)?(?:(?<ms>\d+(?:\.\d+)?)ms)?$"
    )]
    private static partial Regex GoDuration();
}
