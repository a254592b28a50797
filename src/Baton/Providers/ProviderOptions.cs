namespace Baton.Providers;

/// <summary>How Baton talks to LLM providers. Defaults suit real APIs; tests shorten the delays.</summary>
public sealed record ProviderOptions
{
    /// <summary>Retries of one call on 429, 5xx, timeouts and dropped connections (not counting the first try).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>First retry delay; doubled per retry with jitter. A Retry-After from the provider wins.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A Retry-After longer than this is not waited for: the call fails with the provider's message.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Per attempt, from sending the request to the last byte of the reply; a provider's `timeout:` overrides it.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Connecting must be quick: a provider that is not there fails fast instead of waiting out the timeout.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Consecutive failed attempts after which a provider's circuit opens for <see cref="BreakDuration"/>.</summary>
    public int BreakAfterFailures { get; init; } = 8;
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Where ${env:NAME} and the OPENAI_API_KEY/ANTHROPIC_API_KEY defaults are looked up.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The master key for ${secret:NAME}; null = SecretStore.DefaultMasterKeyPath().</summary>
    public string? MasterKeyPath { get; init; }

    /// <summary>
    /// Calls in flight to one provider endpoint at once (and its connections), shared fairly by all
    /// workspaces; a provider's `max_concurrent_calls` overrides it. High, because a call in flight
    /// costs a socket and a few KB while it waits: 1,000 LLM-bound runs on a 2-core server need no
    /// tuning, and the provider's own limits arrive as 429s and x-ratelimit-* headers, which pause it.
    /// </summary>
    public int MaxConcurrentCalls { get; init; } = 1024;

    /// <summary>The clock of rate-limit pauses.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Largest reply body kept in call-NNN.json; the reply itself is never cut.</summary>
    public int MaxRecordedBytes { get; init; } = 1024 * 1024;
}
