using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Baton.Tests.Llm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Baton.Tests.Cli;

internal static partial class ShippedBinary
{
    /// <summary>
    /// A provider over https, as every hosted API is: the calls of parallel agents go over HTTP/2 and share one
    /// connection, where HTTP/1.1 gave each call a TLS session of its own. The provider's certificate is trusted
    /// as a user trusts an internal CA, through SSL_CERT_FILE.
    /// </summary>
    public static async Task CallsAnHttpsProviderOverHttp2(string baton, string scratch)
    {
        const int Agents = 6;
        var ws = Directory.CreateDirectory(Path.Combine(scratch, "https-provider")).FullName;
        await using var provider = await TlsOpenAi.StartAsync(ws);
        File.WriteAllText(Path.Combine(ws, "baton.yaml"), LlmKit.OpenAiConfig(provider.BaseUrl));
        File.WriteAllText(
            Path.Combine(ws, "wide.yaml"),
            "name: wide\nagents:\n"
                + string.Concat(
                    Enumerable.Range(0, Agents).Select(i => $"  a{i}:\n    needs: []\n    prompt: Say {i}.\n")
                )
        );

        var (exit, output, errors) = await Run(
            ws,
            baton,
            ["run", "wide.yaml", "--json"],
            ("TEST_KEY", LlmKit.Key),
            ("SSL_CERT_FILE", provider.CertificateFile)
        );

        Assert.True(exit == 0, $"{output}{errors}");
        var run = JsonDocument.Parse(output).RootElement.GetProperty("id").GetString()!;
        Assert.Equal("ok", File.ReadAllText(Path.Combine(ws, "runs", run, "agents", "a0", "output")));
        var calls = provider.Calls.ToList();
        Assert.Equal(Agents, calls.Count);
        Assert.All(calls, call => Assert.Equal("HTTP/2", call.Protocol));
        // Over HTTP/1.1 the overlapping calls needed a connection each.
        Assert.True(
            calls.Select(c => c.Connection).Distinct().Count() < Agents,
            $"connections: {string.Join(", ", calls.Select(c => c.Connection))}"
        );
    }

    /// <summary>An OpenAI-wire chat API over TLS (a certificate of its own for 127.0.0.1) speaking HTTP/1.1 and 2.</summary>
    private sealed class TlsOpenAi : IAsyncDisposable
    {
        private static readonly byte[] Reply = Encoding.UTF8.GetBytes(
            FakeLlmServer.OpenAiStream(new TextReply("ok", 5, 1, 0, Usage: true, TimeSpan.Zero))
        );

        private readonly WebApplication _app;

        private TlsOpenAi(WebApplication app, string baseUrl, string certificateFile) =>
            (_app, BaseUrl, CertificateFile) = (app, baseUrl, certificateFile);

        public string BaseUrl { get; }
        public string CertificateFile { get; }
        public ConcurrentQueue<(string Protocol, string Connection)> Calls { get; } = new();

        public static async Task<TlsOpenAi> StartAsync(string folder)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using var made = request.CreateSelfSigned(
                DateTimeOffset.UtcNow.AddDays(-1),
                DateTimeOffset.UtcNow.AddDays(1)
            );
            var certificate = X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
            var certificateFile = Path.Combine(folder, "provider-ca.pem");
            File.WriteAllText(certificateFile, certificate.ExportCertificatePem());

            var builder = WebApplication.CreateSlimBuilder(
                new WebApplicationOptions
                {
                    ContentRootPath = AppContext.BaseDirectory,
                    Args = ["--hostBuilder:reloadConfigOnChange=false"],
                }
            );
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(certificate);
                }));
            var app = builder.Build();
            TlsOpenAi? self = null;
            app.MapPost("/v1/chat/completions", async (HttpContext http) =>
            {
                self!.Calls.Enqueue((http.Request.Protocol, http.Connection.Id));
                await Task.Delay(300); // long enough for the parallel agents' calls to overlap
                http.Response.ContentType = "text/event-stream";
                await http.Response.Body.WriteAsync(Reply);
            });
            await app.StartAsync();
            var url = app.Urls.Single().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
            return self = new TlsOpenAi(app, $"{url}/v1", certificateFile);
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
