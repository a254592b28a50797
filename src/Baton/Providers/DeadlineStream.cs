namespace Baton.Providers;

/// <summary>
/// A streamed reply body bound to the attempt's deadline. HttpClient stops honouring the send
/// token once headers arrive, so without this a provider that sends headers and then trickles
/// (or stalls) would hold the agent until its own timeout. It also copies what it reads into the
/// call's record.
/// </summary>
internal sealed class DeadlineStream(
    Stream inner,
    CancellationTokenSource deadline,
    TimeSpan timeout,
    string provider,
    CallRecorder? recorder
) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var read = await inner.ReadAsync(buffer, linked.Token);
            recorder?.AppendResponse(buffer.Span[..read]);
            return read;
        }
        catch (Exception e)
            when (deadline.IsCancellationRequested
                && !cancellationToken.IsCancellationRequested
                && e is OperationCanceledException or IOException
            )
        {
            throw new ProviderException(
                "timeout",
                $"provider '{provider}' did not finish its reply within {timeout.TotalSeconds:0.###}s (the provider's timeout)",
                inner: e
            );
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            deadline.Dispose();
        }
        base.Dispose(disposing);
    }
}
