using System.Buffers;
using System.Text.Json;

namespace Baton;

/// <summary>
/// A thread's reusable buffer and JSON writer, for bytes built and written to a file at once (a ledger line, a
/// health line, a call record). Each of those had its own `ArrayBufferWriter`, which the writer's first flush grew
/// to 4 KB (it asks for at least that much), and then copied out with `ToArray`: three such buffers per LLM call.
/// </summary>
/// <remarks>
/// Rented and disposed on one thread with no await in between; a nested rent on the same thread gets a fresh one.
/// What <see cref="Written"/> returns is valid until the scratch is disposed.
/// </remarks>
internal sealed class ScratchJson : IDisposable
{
    /// <summary>A buffer grown past this (a large call record) is let go rather than kept by the thread.</summary>
    private const int KeepAtMost = 64 * 1024;

    // One per kind of writer a thread uses (compact lines, the indented record): Utf8JsonWriter's options are fixed.
    [ThreadStatic]
    private static ScratchJson? t_compact;

    [ThreadStatic]
    private static ScratchJson? t_indented;

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    // As asked for: the writer's own copy differs (it fills in a MaxDepth of 0 with its default).
    private readonly JsonWriterOptions _options;

    private ScratchJson(JsonWriterOptions options)
    {
        _options = options;
        Writer = new Utf8JsonWriter(_buffer, options);
    }

    public Utf8JsonWriter Writer { get; }

    /// <summary>A cleared scratch whose writer has <paramref name="options"/>; only default-encoded compact or indented options are kept per thread.</summary>
    public static ScratchJson Rent(JsonWriterOptions options)
    {
        var cached = options.Indented ? t_indented : t_compact;
        if (cached is null || !SameOptions(cached._options, options))
            return new ScratchJson(options);
        if (options.Indented)
            t_indented = null;
        else
            t_compact = null;
        cached.Clear();
        return cached;
    }

    /// <summary>Empties the buffer and resets the writer, for a second document built in the same scratch.</summary>
    public void Clear()
    {
        _buffer.ResetWrittenCount();
        Writer.Reset(_buffer);
    }

    /// <summary>What was written so far (the writer flushed), then <paramref name="suffix"/> appended.</summary>
    public ReadOnlySpan<byte> Written(ReadOnlySpan<byte> suffix = default)
    {
        Writer.Flush();
        if (!suffix.IsEmpty)
            _buffer.Write(suffix);
        return _buffer.WrittenSpan;
    }

    public void Dispose()
    {
        if (_buffer.Capacity > KeepAtMost)
            return;
        if (_options.Indented)
            t_indented = this;
        else
            t_compact = this;
    }

    private static bool SameOptions(JsonWriterOptions a, JsonWriterOptions b) =>
        a.Indented == b.Indented
        && ReferenceEquals(a.Encoder, b.Encoder)
        && a.SkipValidation == b.SkipValidation
        && a.MaxDepth == b.MaxDepth
        && a.IndentSize == b.IndentSize
        && a.IndentCharacter == b.IndentCharacter
        && a.NewLine == b.NewLine;
}
