using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Baton.Tests.Notifications;

/// <summary>A real HTTP receiver on 127.0.0.1 that keeps every POST (headers and raw body) and answers as told.</summary>
public sealed class WebhookSink : IDisposable
{
    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string Text => System.Text.Encoding.UTF8.GetString(Body);
    }

    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public WebhookSink()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}/hook";
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>The status of each answer in turn; 200 once these are used up.</summary>
    public ConcurrentQueue<int> Statuses { get; } = new();

    private static TaskCompletionSource CompletedRelease()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.SetResult();
        return released;
    }

    public TaskCompletionSource Hold { get; private set; } = CompletedRelease();

    /// <summary>From now on answers wait until the returned source is completed.</summary>
    public TaskCompletionSource HoldAnswers() =>
        Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
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
            _ = Task.Run(async () =>
            {
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                var headers = context
                    .Request.Headers.AllKeys.Where(k => k is not null)
                    .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
                Requests.Enqueue(new Received(context.Request.Url!.AbsolutePath, headers, body.ToArray()));
                await Hold.Task;
                context.Response.StatusCode = Statuses.TryDequeue(out var status) ? status : 200;
                context.Response.Close();
            });
        }
    }

    public async Task<Received> WaitForAsync(int count, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (Requests.Count < count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the sink got {Requests.Count} requests, waited for {count}");
            await Task.Delay(20);
        }
        return Requests.ElementAt(count - 1);
    }

    public void Dispose()
    {
        Hold.TrySetResult();
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException) { }
    }
}
