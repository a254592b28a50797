using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Baton.Tests.Llm;

namespace Baton.Tests.Cli;

/// <summary>
/// What `./baton` published (the native build users run), driven as a user
/// drives it: each provider's SDK through `baton run`, the server's API through `baton serve`, git through libgit2.
/// The rest of the suite drives the test build in-process or through its own apphost; this is the shipped artifact.
/// Run on the fresh clone's build (FreshCloneTests), so it is built once.
/// </summary>
internal static partial class ShippedBinary
{
    /// <summary>A `prompt:` agent through each provider's real SDK, streamed and not, against the fake wire servers.</summary>
    public static async Task CallsEveryProvider(string baton, string scratch)
    {
        using var server = new FakeLlmServer();
        (string Type, string Url, string Model, bool Stream)[] providers =
        [
            ("openai", server.OpenAiUrl, "gpt-4o-mini", true),
            ("openai", server.OpenAiUrl, "gpt-4o-mini", false),
            ("anthropic", server.AnthropicUrl, "claude-sonnet-4-5", true),
            ("anthropic", server.AnthropicUrl, "claude-sonnet-4-5", false),
            ("ollama", server.OllamaUrl, "llama3.2", true),
            ("ollama", server.OllamaUrl, "llama3.2", false),
        ];
        foreach (var (type, url, model, stream) in providers)
        {
            server.Then(FakeReply.Text($"reply of {type} {stream}", input: 12, output: 3));
            server.Then(FakeReply.Text("""{"score": 7}""", input: 20, output: 4));
            var ws = Directory.CreateDirectory(Path.Combine(scratch, $"{type}-{stream}")).FullName;
            File.WriteAllText(
                Path.Combine(ws, "baton.yaml"),
                $"""
                providers:
                  default:
                    type: {type}
                    base_url: {url}
                    model: {model}
                    api_key: ${"{"}env:TEST_KEY{"}"}
                    stream: {(stream ? "true" : "false")}
                """
            );
            // The second agent asks for JSON with a schema: the request then carries a response format (OpenAI,
            // Ollama) or the schema in its system prompt (Anthropic), serialized by each SDK as shipped.
            File.WriteAllText(
                Path.Combine(ws, "ask.yaml"),
                """
                name: ask
                agents:
                  ask:
                    prompt: Say hello.
                  score:
                    needs: [ask]
                    prompt: Score it.
                    output: json
                    schema:
                      type: object
                      required: [score]
                      properties:
                        score: { type: integer }
                """
            );
            var (exit, output, errors) = await Run(ws, baton, ["run", "ask.yaml", "--json"], ("TEST_KEY", LlmKit.Key));
            Assert.True(exit == 0, $"{type} stream={stream}: {output}{errors}");
            var run = JsonDocument.Parse(output).RootElement.GetProperty("id").GetString()!;
            Assert.Equal(
                $"reply of {type} {stream}",
                File.ReadAllText(Path.Combine(ws, "runs", run, "agents", "ask", "output"))
            );
            Assert.Contains("\"input_tokens\":12", File.ReadAllText(Path.Combine(ws, "runs", run, "costs.jsonl")));
            Assert.Equal(
                """{"score": 7}""",
                File.ReadAllText(Path.Combine(ws, "runs", run, "agents", "score", "output"))
            );
        }
    }

    /// <summary>A chain's prompt versions name the commit when the workspace is a git repository (libgit2).</summary>
    public static async Task ReadsGit(string baton, string scratch)
    {
        var ws = Directory.CreateDirectory(Path.Combine(scratch, "git")).FullName;
        File.WriteAllText(Path.Combine(ws, "baton.yaml"), "");
        File.WriteAllText(Path.Combine(ws, "ask.yaml"), "name: ask\nagents:\n  ask:\n    prompt: Say hello.\n");
        string[][] commands =
        [
            ["init", "-q"],
            ["add", "."],
            ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "c"],
        ];
        foreach (var git in commands)
            Assert.Equal(0, (await Run(ws, "git", git)).Exit);
        var (exit, output, errors) = await Run(ws, baton, ["run", "ask.yaml", "--json"]);
        Assert.True(exit == 0, output + errors);
        var run = JsonDocument.Parse(output).RootElement.GetProperty("id").GetString()!;
        var versions = File.ReadAllText(Path.Combine(ws, "runs", run, "versions.json"));
        Assert.Matches("\"commit\": *\"[0-9a-f]{40}\"", versions);
    }

    /// <summary>`baton serve`'s first start, then the API a client uses: its bodies in and out are the generated contracts.</summary>
    public static async Task Serves(string baton, string scratch)
    {
        var info = new ProcessStartInfo(baton)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = scratch,
        };
        foreach (var a in new[] { "serve", "--data", Path.Combine(scratch, "data"), "--urls", "http://127.0.0.1:0" })
            info.ArgumentList.Add(a);
        using var serve = Process.Start(info)!;
        var printed = new StringBuilder();
        var token = new TaskCompletionSource<string>();
        var url = new TaskCompletionSource<string>(); // port 0: the server says which port it took
        var login = new TaskCompletionSource<string>();
        serve.OutputDataReceived += (_, e) =>
        {
            lock (printed)
                printed.AppendLine(e.Data);
            if (e.Data is { } line && Token().Match(line) is { Success: true } m)
                token.TrySetResult(m.Value);
            if (e.Data is { } serving && Serving().Match(serving) is { Success: true } s)
                url.TrySetResult(s.Groups[1].Value);
            if (e.Data is { } link && link.Contains("/login?code=", StringComparison.Ordinal))
                login.TrySetResult(link);
        };
        serve.ErrorDataReceived += (_, e) =>
        {
            lock (printed)
                printed.AppendLine(e.Data);
        };
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient
            {
                BaseAddress = new Uri(await url.Task.WaitAsync(TimeSpan.FromMinutes(1))),
            };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Bearer",
                await token.Task.WaitAsync(TimeSpan.FromMinutes(1))
            );
            var api = "/api/workspaces/default";
            // The first start's login link names the port the server took, not port 0.
            Assert.Contains(
                $"{client.BaseAddress.ToString().TrimEnd('/')}/login?code=",
                await login.Task.WaitAsync(TimeSpan.FromMinutes(1))
            );

            using var workspaces = JsonDocument.Parse(await client.GetStringAsync("/api/workspaces"));
            Assert.Equal("default", workspaces.RootElement[0].GetProperty("name").GetString());
            using var chains = JsonDocument.Parse(await client.GetStringAsync($"{api}/chains"));
            Assert.Equal("hello", chains.RootElement[0].GetProperty("name").GetString());
            Assert.True(chains.RootElement[0].GetProperty("valid").GetBoolean());

            var started = await client.PostAsync(
                $"{api}/runs",
                new StringContent(
                    """{"chain":"hello","inputs":{"name":"shipped"}}""",
                    Encoding.UTF8,
                    "application/json"
                )
            );
            var body = await started.Content.ReadAsStringAsync();
            Assert.True(started.StatusCode == HttpStatusCode.Created, body + printed);
            var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
            string status;
            var clock = Stopwatch.StartNew();
            do
            {
                using var run = JsonDocument.Parse(await client.GetStringAsync($"{api}/runs/{id}"));
                status = run.RootElement.GetProperty("status").GetString()!;
            } while (status is not ("succeeded" or "failed") && clock.Elapsed < TimeSpan.FromMinutes(1));
            Assert.Equal("succeeded", status);
            Assert.Contains("Hello, shipped!", await client.GetStringAsync($"{api}/runs/{id}/agents/report/output"));
            using var list = JsonDocument.Parse(await client.GetStringAsync($"{api}/runs"));
            Assert.Equal(id, list.RootElement[0].GetProperty("id").GetString());

            var missing = await client.GetAsync($"{api}/runs/20260101-000000-none-0000");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
            var refused = await client.PutAsync(
                $"{api}/chains/broken",
                new StringContent("name: broken\nagents: {}\n", Encoding.UTF8, "application/yaml")
            );
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.True(problem.RootElement.GetProperty("errors").GetArrayLength() > 0);
            Assert.False(serve.HasExited, printed.ToString());
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }
        lock (printed)
            Assert.DoesNotContain("Exception", printed.ToString());
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> Run(
        string directory,
        string file,
        string[] args,
        params (string Name, string Value)[] environment
    )
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        foreach (var (name, value) in environment)
            info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [GeneratedRegex(@"\bbt_[A-Za-z0-9_-]{20,}")]
    private static partial Regex Token();

    [GeneratedRegex(@"^baton serving .* on (http://127\.0\.0\.1:[1-9][0-9]*)")]
    private static partial Regex Serving();
}
