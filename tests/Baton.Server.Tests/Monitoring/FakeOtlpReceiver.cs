using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Baton.Tests.Llm;

namespace Baton.Server.Tests.Monitoring;

/// <summary>
/// An OTLP/HTTP collector on 127.0.0.1 that keeps each POST body by path (/v1/traces, /v1/metrics). The
/// bodies are protobuf; attribute keys and string values appear in them as plain UTF-8, which is all a
/// test needs to look for.
/// </summary>
public sealed class FakeOtlpReceiver : IDisposable
{
    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stop = new();

    public FakeOtlpReceiver()
    {
        _listener = FakeLlmServer.Listen(out var port);
        Port = port;
        _ = AcceptLoopAsync();
    }

    public int Port { get; }
    public Uri Url => new($"http://127.0.0.1:{Port}");
    public ConcurrentQueue<(string Path, byte[] Body)> Posts { get; } = new();

    /// <summary>Everything posted to the path, as text (protobuf framing shows as noise around the strings).</summary>
    public string Text(string path) =>
        string.Join("\n", Posts.Where(p => p.Path == path).Select(p => Encoding.UTF8.GetString(p.Body)));

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            Posts.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
    }
}
