using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Baton.Server.Tests.Browser;

/// <summary>
/// A fake OpenAI server on 127.0.0.1 speaking the real wire format (POST /v1/chat/completions, JSON, with
/// usage): every call replies "hello" and reports 1,200 prompt and 300 completion tokens.
/// </summary>
public sealed class FakeOpenAi : IAsyncDisposable
{
    private const string Reply = """
        {"id":"chatcmpl-fake","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
         "choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500}}
        """;

    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public FakeOpenAi()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}/v1";
    public int Calls { get; private set; }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            using (var reader = new StreamReader(context.Request.InputStream))
                await reader.ReadToEndAsync();
            var ok =
                context.Request.HttpMethod == "POST" && context.Request.Url?.AbsolutePath == "/v1/chat/completions";
            if (ok)
                Calls++;
            context.Response.StatusCode = ok ? 200 : 404;
            context.Response.ContentType = "application/json";
            var body = Encoding.UTF8.GetBytes(ok ? Reply : "{}");
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: Stop then Close made the managed HttpListener bind the port again to remove it a second
        // time, which failed "Address already in use" when a parallel test had just taken the freed port.
        _listener.Close();
        await _loop;
    }
}
