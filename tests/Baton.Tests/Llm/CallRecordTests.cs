using System.Text;
using System.Text.Json;
using Baton.Costs;
using Baton.Providers;
using Baton.Runs;
using Baton.Secrets;

namespace Baton.Tests.Llm;

/// <summary>call-NNN.json, byte for byte: what a person reads when auditing a call (docs/llm.md, "Records").</summary>
public class CallRecordTests
{
    private const string Secret = "sk-test-1234567890";

    private static readonly ResolvedProvider Provider = new(
        "default",
        "openai",
        "http://127.0.0.1:1/v1",
        "gpt-4o-mini",
        Secret,
        null,
        Stream: true
    );

    private static readonly DateTimeOffset Started = new(2026, 12, 5, 21, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void StreamedCall_RecordsEveryEventsData_TheDoneMarkerAsText_AndMasksTheSecrets()
    {
        var recorder = new CallRecorder(1 << 20);
        recorder.SetRequest(
            "http://127.0.0.1:1/v1/chat/completions",
            $$"""{"messages":[{"role":"user","content":"key {{Secret}} caf\u00e9 \"q\" <b>"}],"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"temperature":0.50}"""
        );
        recorder.SetResponse(200, "text/event-stream", []);
        recorder.AppendResponse(
            Encoding.UTF8.GetBytes(
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hé\"}}],\"n\":1e3}\n\n"
                    + ": keep-alive\n\n"
                    + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":1}}\n\n"
                    + "data: [DONE]\n\n"
            )
        );
        recorder.AddAttempt(new CallAttempt(429, null, 3, 1000));
        recorder.AddAttempt(new CallAttempt(200, null, 5));
        var entry = new CostEntry(
            Started,
            "ws",
            "chain",
            "run",
            "ask",
            1,
            1,
            "default",
            "gpt-4o-mini",
            new TokenUsage(12, 1, 2, 0),
            0.0000123m,
            true
        );

        var bytes = CallRecord.Build(
            new CallRecord.Call(1, Provider, Started, 42, "hé", entry, null),
            recorder,
            new SecretMasker([Secret])
        );

        Assert.Equal(
            """
            {
              "call": 1,
              "provider": "default",
              "type": "openai",
              "model": "gpt-4o-mini",
              "url": "http://127.0.0.1:1/v1/chat/completions",
              "started": "2026-12-05T21:00:00.123Z",
              "duration_ms": 42,
              "attempts": [
                {
                  "status": 429,
                  "error": null,
                  "ms": 3,
                  "retry_after_ms": 1000
                },
                {
                  "status": 200,
                  "error": null,
                  "ms": 5,
                  "retry_after_ms": null
                }
              ],
              "request": {
                "messages": [
                  {
                    "role": "user",
                    "content": "key *** café \"q\" <b>"
                  }
                ],
                "model": "gpt-4o-mini",
                "stream": true,
                "stream_options": {
                  "include_usage": true
                },
                "temperature": 0.50
              },
              "response": {
                "status": 200,
                "content_type": "text/event-stream",
                "body": [
                  {
                    "choices": [
                      {
                        "index": 0,
                        "delta": {
                          "content": "hé"
                        }
                      }
                    ],
                    "n": 1e3
                  },
                  {
                    "choices": [],
                    "usage": {
                      "prompt_tokens": 12,
                      "completion_tokens": 1
                    }
                  },
                  "[DONE]"
                ],
                "truncated": null
              },
              "reply": "hé",
              "usage": {
                "input_tokens": 12,
                "output_tokens": 1,
                "cached_input_tokens": 2,
                "reasoning_tokens": 0,
                "source": "reported"
              },
              "cost_usd": 0.0000123
            }

            """,
            Encoding.UTF8.GetString(bytes)
        );
    }

    [Fact]
    public void FailedCall_KeepsABodyThatIsNotJson_AsText_WithTheError()
    {
        var recorder = new CallRecorder(8);
        recorder.SetRequest("http://127.0.0.1:1/v1/chat/completions", "{\"model\":\"m\"}");
        recorder.SetResponse(502, "text/html", Encoding.UTF8.GetBytes("<h1>bad gateway</h1>"));
        recorder.AddAttempt(new CallAttempt(null, $"connection reset ({Secret})", 7));

        var bytes = CallRecord.Build(
            new CallRecord.Call(2, Provider, Started, 9, "", null, ("provider", $"502 from {Secret}")),
            recorder,
            new SecretMasker([Secret])
        );

        Assert.Equal(
            """
            {
              "call": 2,
              "provider": "default",
              "type": "openai",
              "model": "gpt-4o-mini",
              "url": "http://127.0.0.1:1/v1/chat/completions",
              "started": "2026-12-05T21:00:00.123Z",
              "duration_ms": 9,
              "attempts": [
                {
                  "status": null,
                  "error": "connection reset (***)",
                  "ms": 7,
                  "retry_after_ms": null
                }
              ],
              "request": {
                "model": "m"
              },
              "response": {
                "status": 502,
                "content_type": "text/html",
                "body": "<h1>bad ",
                "truncated": true
              },
              "reply": "",
              "error": {
                "reason": "provider",
                "message": "502 from ***"
              }
            }

            """,
            Encoding.UTF8.GetString(bytes)
        );
    }

    [Fact]
    public async Task RetriedPromptAgent_KeepsEachAttemptsCallRecord()
    {
        // 401 is not retried by the provider layer: the agent's own `retries:` makes the second attempt.
        using var server = new FakeLlmServer().Then(FakeReply.Error(401, "bad key"), FakeReply.Text("second"));
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(server));

        var (run, outcome) = await ws.RunAsync(
            """
            name: retried
            agents:
              ask:
                prompt: hi
                retries: 1
            """,
            options: LlmKit.Engine()
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        using var first = JsonDocument.Parse(
            File.ReadAllBytes(Path.Combine(run.AgentDir("ask"), "attempts", "1", "call-001.json"))
        );
        Assert.Equal("auth", first.RootElement.GetProperty("error").GetProperty("reason").GetString());
        using var second = LlmKit.Call(run, "ask", 1);
        Assert.Equal("second", second.RootElement.GetProperty("reply").GetString());
    }

    [Fact]
    public async Task ACallRecord_LiesBesideTheOutput_NoFolderOfItsOwn()
    {
        using var ws = new TestWorkspace();

        var (run, outcome) = await ws.RunAsync(
            """
            name: folders
            agents:
              ask:
                model: offline
                prompt: hi
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal(
            ["call-001.json", "output"],
            Directory.EnumerateFileSystemEntries(run.AgentDir("ask")).Select(Path.GetFileName).Order()
        );
    }
}
