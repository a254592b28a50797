using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Baton.Bench;

/// <summary>
/// An OpenAI-wire chat API on 127.0.0.1 (Kestrel) for the real-path workloads: POST
/// /v1/chat/completions answers after the stated latency, as SSE when the request streams (Baton's
/// default) or as one JSON body, with a usage block either way, so Baton loads no tokenizer. Its
/// own cost per call is measured (<see cref="OverheadUsAsync"/>) and reported next to the results.
/// With TLS it answers https on HTTP/1.1 and 2, as hosted APIs do, under a certificate of its own for 127.0.0.1
/// (<see cref="CertificateFile"/>: what a client given it as SSL_CERT_FILE trusts).
/// </summary>
public sealed class FakeOpenAi : IAsyncDisposable
{
    private static readonly byte[] Stream = Encoding.UTF8.GetBytes(
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"fake\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":null}]}\n\n"
            + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"fake\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"fake\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":1,\"total_tokens\":13}}\n\n"
            + "data: [DONE]\n\n"
    );

    private static readonly byte[] Json = Encoding.UTF8.GetBytes(
        "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"fake\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":1,\"total_tokens\":13}}"
    );

    private readonly WebApplication _app;
    private long _calls;

    private FakeOpenAi(WebApplication app, string url, string? certificateFile) =>
        (_app, BaseUrl, CertificateFile) = (app, url + "/v1", certificateFile);

    /// <summary>The PEM of the certificate the fake answers https with; null without TLS.</summary>
    public string? CertificateFile { get; }

    /// <summary>What a provider's base_url says: http://127.0.0.1:PORT/v1.</summary>
    public string BaseUrl { get; }

    public long Calls => Interlocked.Read(ref _calls);

    public static async Task<FakeOpenAi> StartAsync(TimeSpan latency, bool tls = false)
    {
        var port = FreePort();
        var url = $"{(tls ? "https" : "http")}://127.0.0.1:{port}";
        // Content root = the binary's folder and no config reload: the default (the working folder, reloadOnChange)
        // put a recursive FileSystemWatcher on wherever the bench was started — the repository with its scratch
        // folder — so every file a measured run created woke the fake's watcher thread on the same 2 cores.
        var builder = WebApplication.CreateSlimBuilder(
            new WebApplicationOptions
            {
                ContentRootPath = AppContext.BaseDirectory,
                Args = ["--hostBuilder:reloadConfigOnChange=false"],
            }
        );
        builder.Logging.ClearProviders();
        var certificate = tls ? Certificate() : null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxConcurrentConnections = null;
            k.Listen(IPAddress.Loopback, port, listen =>
            {
                if (certificate is null)
                    return;
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            });
        });
        var app = builder.Build();
        FakeOpenAi? self = null;
        app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            if (latency > TimeSpan.Zero)
                await Task.Delay(latency);
            Interlocked.Increment(ref self!._calls);
            var streaming = Encoding
                .UTF8.GetString(body.GetBuffer(), 0, (int)body.Length)
                .Contains("\"stream\":true", StringComparison.Ordinal);
            http.Response.ContentType = streaming ? "text/event-stream" : "application/json";
            await http.Response.Body.WriteAsync(streaming ? Stream : Json);
        });
        await app.StartAsync();
        string? certificateFile = null;
        if (certificate is not null)
            await File.WriteAllTextAsync(
                certificateFile = Path.Combine(Path.GetTempPath(), $"baton-bench-fake-{port}.pem"),
                certificate.ExportCertificatePem()
            );
        return self = new FakeOpenAi(app, url, certificateFile);
    }

    /// <summary>A certificate of its own for 127.0.0.1.</summary>
    private static X509Certificate2 Certificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
    }

    /// <summary>The fake's own round trip (µs, median of sequential calls over one kept-alive connection): the floor under any figure that calls it.</summary>
    public async Task<double> OverheadUsAsync(int calls = 2000)
    {
        using var client = new HttpClient();
        var request = "{\"model\":\"fake\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"noop\"}]}";
        var times = new List<double>(calls);
        for (var i = 0; i < calls + 200; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var response = await client.PostAsync(
                BaseUrl + "/chat/completions",
                new StringContent(request, Encoding.UTF8, "application/json")
            );
            await response.Content.ReadAsByteArrayAsync();
            if (i >= 200)
                times.Add(clock.Elapsed.TotalMicroseconds); // the first 200 warm up both ends
        }
        return Measurements.Median(times);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (CertificateFile is not null)
            File.Delete(CertificateFile);
    }
}
