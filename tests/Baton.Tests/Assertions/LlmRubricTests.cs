using Baton.Assertions;
using Baton.Providers;
using Baton.Secrets;
using Baton.Tests.Llm;
using Baton.Workspaces;

namespace Baton.Tests.Assertions;

/// <summary>llm-rubric with a judge that is the fake OpenAI-wire server: the verdict comes over real HTTP.</summary>
public sealed class LlmRubricTests : IDisposable
{
    private readonly FakeLlmServer _server = new();
    private readonly ProviderPool _pool = new(LlmKit.Fast());
    private readonly string _dir = Directory.CreateTempSubdirectory("baton-judge-").FullName;

    public void Dispose()
    {
        _pool.Dispose();
        _server.Dispose();
        Directory.Delete(_dir, true);
    }

    private IJudge Judge()
    {
        var config = WorkspaceConfig.Parse(
            "baton.yaml",
            LlmKit.OpenAiConfig(_server).Replace("default:", "judge:", StringComparison.Ordinal)
        );
        Assert.Equal("judge", LlmJudge.DefaultModel(config));
        return new LlmJudge(
            _pool,
            config,
            LlmJudge.DefaultModel(config),
            () => new SecretStore(_dir, Path.Combine(_dir, "key")),
            _dir
        );
    }

    private Task<AssertionResult> Evaluate(string yaml, string output) =>
        AssertionEvaluator.EvaluateAsync(AssertionTests.Read(yaml), new AssertionSubject(output), Judge());

    [Fact]
    public async Task JudgeSaysPass_Passes_AndSeesOutputAndRubric()
    {
        _server.Then(FakeReply.Text("""{"reason": "it is polite", "pass": true, "score": 0.9}"""));
        var result = await Evaluate("{type: llm-rubric, value: 'is polite'}", "Thank you kindly");
        Assert.True(result.Pass, result.Reason);
        Assert.Contains("it is polite", result.Reason, StringComparison.Ordinal);
        var sent = _server.Requests.Single().Body;
        Assert.Contains("Thank you kindly", sent, StringComparison.Ordinal);
        Assert.Contains("is polite", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreBelowThreshold_Fails_AndNotPasses()
    {
        _server.Then(FakeReply.Text("""{"reason": "somewhat", "pass": true, "score": 0.6}"""));
        var result = await Evaluate("{type: llm-rubric, value: 'is polite', threshold: 0.8}", "ok");
        Assert.False(result.Pass);
        Assert.Equal(0.6, result.Score, 3);
        _server.Then(FakeReply.Text("""{"reason": "rude", "pass": false, "score": 0.1}"""));
        Assert.True((await Evaluate("{type: not-llm-rubric, value: 'is polite'}", "go away")).Pass);
    }

    [Fact]
    public async Task UnreadableVerdict_FailsEvenWhenNegated_WithWhatCame()
    {
        _server.Then(FakeReply.Text("I think it is fine"));
        var result = await Evaluate("{type: not-llm-rubric, value: 'is polite'}", "ok");
        Assert.False(result.Pass);
        Assert.True(result.Unusable);
        Assert.Contains("I think it is fine", result.Reason, StringComparison.Ordinal);
    }
}
