using System.Text;

namespace Baton.Providers;

/// <summary>
/// The wire record of one logical LLM call, filled in by the HTTP layer (or the offline provider)
/// and written by the prompt agent to agents/&lt;name&gt;/call-NNN.json. It flows to the HTTP
/// handler through an AsyncLocal because the SDKs sit in between and know nothing of Baton.
/// Headers are never recorded: that is where API keys travel.
/// </summary>
public sealed class CallRecorder(int maxResponseBytes)
{
    private static readonly AsyncLocal<CallRecorder?> CurrentRecorder = new();
    private readonly MemoryStream _response = new();
    private readonly Lock _gate = new();

    public static CallRecorder? Current => CurrentRecorder.Value;

    /// <summary>Makes this the recorder of calls made from the current async flow until disposed.</summary>
    public IDisposable Activate()
    {
        var previous = CurrentRecorder.Value;
        CurrentRecorder.Value = this;
        return new Restore(previous);
    }

    private sealed class Restore(CallRecorder? previous) : IDisposable
    {
        public void Dispose() => CurrentRecorder.Value = previous;
    }

    public string? Url { get; private set; }
    public string? RequestBody { get; private set; }
    public int? Status { get; private set; }
    public string? ContentType { get; private set; }
    public bool Truncated { get; private set; }
    public List<CallAttempt> Attempts { get; } = [];

    /// <summary>This call's failures opened the provider's circuit breaker.</summary>
    public bool CircuitOpened { get; private set; }

    /// <summary>The breaker was open: this call was not sent at all.</summary>
    public bool CircuitRefused { get; private set; }

    public void MarkCircuitOpened() => CircuitOpened = true;

    public void MarkCircuitRefused() => CircuitRefused = true;

    public void SetRequest(string url, string? body)
    {
        Url = url;
        RequestBody = body;
    }

    public void AddAttempt(CallAttempt attempt)
    {
        lock (_gate)
            Attempts.Add(attempt);
    }

    /// <summary>The reply of the final attempt replaces any earlier one.</summary>
    public void SetResponse(int status, string? contentType, ReadOnlySpan<byte> body)
    {
        lock (_gate)
        {
            Status = status;
            ContentType = contentType;
            _response.SetLength(0);
            Truncated = false;
            AppendResponse(body);
        }
    }

    public void AppendResponse(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            var room = maxResponseBytes - (int)_response.Length;
            if (bytes.Length > room)
                Truncated = true;
            if (room > 0)
                _response.Write(bytes[..Math.Min(room, bytes.Length)]);
        }
    }

    public string ResponseText
    {
        get
        {
            lock (_gate)
                return Encoding.UTF8.GetString(_response.GetBuffer(), 0, (int)_response.Length);
        }
    }
}

/// <summary>One HTTP attempt: its status or error, how long it took, and the delay before the next.</summary>
public sealed record CallAttempt(int? Status, string? Error, long Milliseconds, long? RetryInMilliseconds = null);
