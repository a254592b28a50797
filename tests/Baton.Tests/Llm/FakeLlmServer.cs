using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Baton.Tests.Llm;

/// <summary>One request the fake received.</summary>
public sealed record FakeRequest(string Path, string Body, string? Authorization, string? ApiKeyHeader)
{
    public JsonNode Json => JsonNode.Parse(Body)!;
    public bool Stream => Json["stream"]?.GetValue<bool>() == true;
    public string Headers { get; init; } = "";
    public bool IsAnthropic => Path.EndsWith("/messages", StringComparison.Ordinal);
    public bool IsOllama => Path == "/api/chat";
}

/// <summary>What the fake answers with. Text replies are shaped as OpenAI or Anthropic by the request's path, JSON or SSE by its "stream".</summary>
public abstract record FakeReply
{
    public static FakeReply Text(
        string content,
        int input = 10,
        int output = 5,
        int cached = 0,
        bool usage = true,
        TimeSpan? chunkDelay = null
    ) => new TextReply(content, input, output, cached, usage, chunkDelay ?? TimeSpan.Zero);

    public static FakeReply Error(int status, string message, params (string Name, string Value)[] headers) =>
        new RawReply(
            status,
            "application/json",
            JsonSerializer.Serialize(new { error = new { message, type = "fake_error" } }),
            headers
        );

    public static FakeReply Raw(int status, string contentType, string body) =>
        new RawReply(status, contentType, body, []);
}

public sealed record TextReply(string Content, int Input, int Output, int Cached, bool Usage, TimeSpan ChunkDelay)
    : FakeReply;

public sealed record RawReply(int Status, string ContentType, string Body, (string Name, string Value)[] Headers)
    : FakeReply;

/// <summary>
/// An LLM API on 127.0.0.1 speaking the real wire formats (OpenAI /v1/chat/completions and
/// Anthropic /v1/messages, each as JSON or SSE), answering from a script of replies.
/// </summary>
public sealed partial class FakeLlmServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentQueue<FakeReply> _script = new();
    private readonly CancellationTokenSource _stop = new();

    public FakeLlmServer()
    {
        _listener = Listen(out var port);
        Port = port;
        _ = Task.Run(AcceptLoopAsync);
    }

    /// <summary>
    /// An HttpListener on a free loopback port. HttpListener cannot bind port 0, so a port is picked and then bound:
    /// between the two, a parallel test's outgoing connection can take it as its own ephemeral port ("Address already
    /// in use", seen once in a full run). A taken port is picked again.
    /// </summary>
    public static HttpListener Listen(out int port)
    {
        for (var attempt = 1; ; attempt++)
        {
            port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return listener;
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                listener.Close();
            }
        }
    }

    public int Port { get; }
    public string OpenAiUrl => $"http://127.0.0.1:{Port}/v1";
    public string AnthropicUrl => $"http://127.0.0.1:{Port}";
    public string OllamaUrl => $"http://127.0.0.1:{Port}";
    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    /// <summary>Answer when the script is empty.</summary>
    public FakeReply Fallback { get; set; } = FakeReply.Text("fake reply");

    private readonly ConcurrentQueue<TaskCompletionSource> _held = new();
    private volatile bool _holding;
    private int _inFlight,
        _maxInFlight;

    /// <summary>Requests being answered (or held) now, and the most there ever were at once.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>From now on each request waits, unanswered, until released (in arrival order).</summary>
    public FakeLlmServer Hold()
    {
        _holding = true;
        return this;
    }

    /// <summary>Answers the oldest held request.</summary>
    public void ReleaseOne()
    {
        if (_held.TryDequeue(out var held))
            held.TrySetResult();
    }

    /// <summary>Answers every held request and holds no more.</summary>
    public void ReleaseAll()
    {
        _holding = false;
        while (_held.TryDequeue(out var held))
            held.TrySetResult();
    }

    public FakeLlmServer Then(params FakeReply[] replies)
    {
        foreach (var reply in replies)
            _script.Enqueue(reply);
        return this;
    }

    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e)
                when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var request = new FakeRequest(
                context.Request.Url!.AbsolutePath,
                await reader.ReadToEndAsync(),
                context.Request.Headers["Authorization"],
                context.Request.Headers["x-api-key"]
            )
            {
                Headers = string.Join(
                    "\n",
                    context.Request.Headers.AllKeys.Select(k => $"{k}: {context.Request.Headers[k]}")
                ),
            };
            var now = Interlocked.Increment(ref _inFlight);
            for (
                var max = _maxInFlight;
                now > max && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max;
                max = _maxInFlight
            ) { }
            Requests.Enqueue(request);
            try
            {
                if (_holding)
                {
                    var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _held.Enqueue(held);
                    if (!_holding)
                        held.TrySetResult(); // released all between the check and the queue
                    await held.Task.WaitAsync(_stop.Token);
                }
                var reply = _script.TryDequeue(out var next) ? next : Fallback;
                await WriteAsync(context.Response, request, reply);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
        catch (Exception e)
            when (e is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        { }
        finally
        {
            try
            {
                context.Response.Close();
            }
            catch (Exception e)
                when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { }
        }
    }

    private async Task WriteAsync(HttpListenerResponse response, FakeRequest request, FakeReply reply)
    {
        if (reply is RawReply raw)
        {
            response.StatusCode = raw.Status;
            response.ContentType = raw.ContentType;
            foreach (var (name, value) in raw.Headers)
                response.AddHeader(name, value);
            var bytes = Encoding.UTF8.GetBytes(raw.Body);
            await response.OutputStream.WriteAsync(bytes, _stop.Token);
            return;
        }
        var text = (TextReply)reply;
        response.StatusCode = 200;
        if (request.IsOllama)
        {
            // Ollama's /api/chat: one JSON object, or (stream, its default) newline-delimited JSON objects.
            var streamed = request.Json["stream"]?.GetValue<bool>() != false;
            response.ContentType = streamed ? "application/x-ndjson" : "application/json";
            response.SendChunked = streamed;
            // Not chunked, HttpListener needs the length up front (without it the body went out empty).
            if (!streamed)
                response.ContentLength64 = Encoding.UTF8.GetByteCount(OllamaFinal(text, text.Content) + "\n");
            foreach (var line in streamed ? OllamaLines(text) : [OllamaFinal(text, text.Content)])
            {
                await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), _stop.Token);
                await response.OutputStream.FlushAsync(_stop.Token);
            }
            return;
        }
        if (!request.Stream)
        {
            response.ContentType = "application/json";
            var body = request.IsAnthropic ? AnthropicJson(text) : OpenAiJson(text);
            await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body), _stop.Token);
            return;
        }
        response.ContentType = "text/event-stream";
        response.SendChunked = true;
        var events = request.IsAnthropic ? AnthropicEvents(text) : OpenAiEvents(text);
        foreach (var data in events)
        {
            if (text.ChunkDelay > TimeSpan.Zero)
                await Task.Delay(text.ChunkDelay, _stop.Token);
            await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(data), _stop.Token);
            await response.OutputStream.FlushAsync(_stop.Token);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
    }
}
