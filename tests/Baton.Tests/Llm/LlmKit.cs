using System.Text.Json;
using Baton.Agents;
using Baton.Chains;
using Baton.Events;
using Baton.Providers;
using Baton.Runs;

namespace Baton.Tests.Llm;

/// <summary>Shared set-up for tests that run prompt agents through the real engine.</summary>
public static class LlmKit
{
    public const string Key = "sk-test-Zq8vXw3kP9sLm2Rt7Yb4";

    public static ProviderOptions Fast(Func<string, string?>? environment = null, string? masterKey = null) =>
        new()
        {
            MaxRetries = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            Environment = environment ?? (name => name == "TEST_KEY" ? Key : null),
            MasterKeyPath = masterKey,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };

    public static EngineOptions Engine(ProviderOptions? providers = null, List<string>? warnings = null) =>
        new()
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            KillGrace = TimeSpan.FromSeconds(2),
            OnWarning = warnings is null
                ? null
                : w =>
                {
                    lock (warnings)
                        warnings.Add(w);
                },
            Runners = new Dictionary<AgentKind, IAgentRunner>
            {
                [AgentKind.Run] = new BashAgent(),
                [AgentKind.Cli] = new CliAgent(),
                [AgentKind.Prompt] = new PromptAgent(providers ?? Fast()),
            },
        };

    public static string OpenAiConfig(FakeLlmServer server, string extra = "") => OpenAiConfig(server.OpenAiUrl, extra);

    public static string OpenAiConfig(string baseUrl, string extra = "") =>
        $"""
            providers:
              default:
                type: openai
                base_url: {baseUrl}
                model: gpt-4o-mini
                api_key: ${"{"}env:TEST_KEY{"}"}
            {extra}
            """;

    public static RunEvent Event(RunFolder run, string type) => TestWorkspace.Events(run).Single(e => e.Type == type);

    public static JsonElement Data(RunFolder run, string type) => Event(run, type).Data!.Value;

    public static string Output(RunFolder run, string agent) => File.ReadAllText(run.AgentOutput(agent));

    public static JsonDocument Call(RunFolder run, string agent, int number) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(run.AgentDir(agent), $"call-{number:000}.json")));
}
