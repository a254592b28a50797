using System.ClientModel;
using System.ClientModel.Primitives;

namespace Baton.Providers;

/// <summary>
/// The OpenAI SDK writes a request's JSON into 16 KB buffers rented from the shared pool and holds them until the
/// reply has been read: through a model's whole answer, for a body of a few hundred bytes. With hundreds of calls
/// awaiting a model, the pool runs dry and each call holds a fresh 16 KB (7 MB of a W2S server's live heap at 440
/// calls in flight, docs/performance.md, finding 63). This copies the body out at its own size and returns the
/// buffers at once, before the request is sent; the bytes sent are the same.
/// </summary>
public sealed class CompactRequestBody : PipelinePolicy
{
    public static readonly CompactRequestBody Instance = new();

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Compact(message.Request);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override ValueTask ProcessAsync(
        PipelineMessage message,
        IReadOnlyList<PipelinePolicy> pipeline,
        int currentIndex
    )
    {
        Compact(message.Request);
        return ProcessNextAsync(message, pipeline, currentIndex);
    }

    private static void Compact(PipelineRequest request)
    {
        if (request.Content is not { } content || !content.TryComputeLength(out var length) || length > int.MaxValue)
            return;
        var body = new byte[length];
        using (var stream = new MemoryStream(body))
            content.WriteTo(stream);
        request.Content = BinaryContent.Create(BinaryData.FromBytes(body));
        content.Dispose(); // gives the buffers back; the SDK disposes it again when the call ends, which does nothing
    }
}
