namespace Baton.Tests.Cli;

public class CliDecisionTests
{
    private const string Chain = """
        name: review
        agents:
          draft:
            run: echo "draft $BATON_ATTEMPT ${BATON_FEEDBACK:-}"
          review:
            decision:
              show: "{{ agents.draft.output }}"
          publish:
            run: echo published
        """;

    [Fact]
    public async Task NonInteractiveRun_Exit4_PrintsTheDecideCommand_ThenDecideFinishesIt()
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/review.yaml", Chain);

        var run = await BatonCli.RunAsync(ws.Root, "run", "review");
        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.Contains("baton decide ", run.Stdout);
        Assert.Contains(" review approve|reject|changes", run.Stdout);

        var changes = await BatonCli.RunAsync(ws.Root, "decide", "last", "review", "changes", "-m", "shorter");
        Assert.True(changes.ExitCode == 4, changes.ToString());
        var approve = await BatonCli.RunAsync(ws.Root, "decide", "last", "review", "approve");
        Assert.True(approve.ExitCode == 0, approve.ToString());
        Assert.Contains("succeeded", approve.Stdout);
    }

    [Fact]
    public async Task ASecretInADecideComment_IsMaskedInTheRunsFiles()
    {
        using var ws = new TestWorkspace();
        var env = BatonCli.OwnMasterKey(ws, out var key);
        ws.Write("baton.yaml", "");
        ws.Write("chains/review.yaml", Chain);
        await BatonCli.SetSecretAsync(ws.Root, env, "DEPLOY_TOKEN", "tok-1234567890");
        Assert.Equal(4, (await BatonCli.RunAsync(ws.Root, env, "run", "review")).ExitCode);

        var changes = await BatonCli.RunAsync(
            ws.Root,
            env,
            "decide",
            "last",
            "review",
            "changes",
            "-m",
            "the deploy said: bad token tok-1234567890"
        );
        Assert.True(changes.ExitCode == 4, changes.ToString());

        var runFolder = Directory.GetDirectories(Path.Combine(ws.Root, "runs")).Single();
        Assert.Contains("bad token ***", File.ReadAllText(Path.Combine(runFolder, "agents", "draft", "output"))); // the feedback the agent got
        foreach (var file in Directory.EnumerateFiles(runFolder, "*", SearchOption.AllDirectories))
            Assert.False(
                File.ReadAllText(file).Contains("tok-1234567890", StringComparison.Ordinal),
                $"{file} holds the secret"
            );
        File.Delete(key);
    }

    [Fact]
    public async Task Reject_Exit3()
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/review.yaml", Chain);
        Assert.Equal(4, (await BatonCli.RunAsync(ws.Root, "run", "review")).ExitCode);
        var reject = await BatonCli.RunAsync(ws.Root, "decide", "last", "review", "reject", "-m", "no");
        Assert.True(reject.ExitCode == 3, reject.ToString());
    }

    [Theory]
    [InlineData("draft", "approve", "not a decision agent")]
    [InlineData("nobody", "approve", "no agent 'nobody'")]
    [InlineData("review", "changes", "needs a comment")]
    [InlineData("review", "maybe", "")]
    public async Task Decide_RefusesWhatCannotBeDecided(string agent, string decision, string message)
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/review.yaml", Chain);
        Assert.Equal(4, (await BatonCli.RunAsync(ws.Root, "run", "review")).ExitCode);
        var result = await BatonCli.RunAsync(ws.Root, "decide", "last", agent, decision);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Stderr);
    }

    [Fact]
    public async Task DecidingTwice_SecondIsRefusedClearly()
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/review.yaml", Chain);
        Assert.Equal(4, (await BatonCli.RunAsync(ws.Root, "run", "review")).ExitCode);
        Assert.Equal(0, (await BatonCli.RunAsync(ws.Root, "decide", "last", "review", "approve")).ExitCode);
        var again = await BatonCli.RunAsync(ws.Root, "decide", "last", "review", "reject");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("not waiting for a decision", again.Stderr);
    }

    /// <summary>
    /// Who may answer is DecisionRules' one rule: the engine refuses a top-level inbox file another user wrote, and
    /// `baton decide` run by a user other than the run's says so at once instead of leaving a file the engine rejects.
    /// </summary>
    [Fact]
    public async Task DecideAsAnotherUserThanTheRuns_RefusedAtOnce_NothingWritten()
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/review.yaml", Chain);
        Assert.Equal(4, (await BatonCli.RunAsync(ws.Root, "run", "review")).ExitCode);
        var inbox = Directory.GetDirectories(Path.Combine(ws.Root, "runs")).Single() + "/inbox";
        Assert.Equal(0, Libc.lchown(inbox, 65534, 65534)); // as if the run were another user's (nobody's)

        var decide = await BatonCli.RunAsync(ws.Root, "decide", "last", "review", "approve", "--no-resume");

        Assert.True(decide.ExitCode == 2, decide.ToString());
        Assert.Contains("only the run's own user answers a decision", decide.Stderr);
        Assert.Empty(Directory.GetFiles(inbox));
    }

    [Theory]
    [InlineData(Runs.Answerer.Reviewer, true)]
    [InlineData(Runs.Answerer.Viewer, false)]
    [InlineData(Runs.Answerer.Agent, false)]
    public void MayAnswer_OnlyAReviewer(Runs.Answerer who, bool may) =>
        Assert.Equal(may, Runs.DecisionRules.MayAnswer(who));

    [Theory]
    [InlineData(1000, 1000u, Runs.Answerer.Reviewer)]
    [InlineData(1001, 1000u, Runs.Answerer.Agent)]
    [InlineData(-1, 1000u, Runs.Answerer.Reviewer)] // the file went away: the read that follows decides
    public void WriterOf_TheEnginesUserIsAReviewer_AnyoneElseAnAgent(long writer, uint engine, Runs.Answerer who) =>
        Assert.Equal(who, Runs.DecisionRules.WriterOf(writer, engine));
}
