using Baton.Runs;

namespace Baton.Tests.Engine;

public class CleanEnvironmentTests
{
    [Fact]
    public async Task Script_SeesOnlyPathHomeBatonAndItsEnv_NotTheEnginesEnvironment()
    {
        Environment.SetEnvironmentVariable("BATON_TEST_SECRET_X", "leaked-secret");
        Environment.SetEnvironmentVariable("ENGINE_ONLY_SETTING", "leaked-setting");
        try
        {
            using var ws = new TestWorkspace();
            var (run, outcome) = await ws.RunAsync(
                """
                name: env
                inputs:
                  topic: { default: events }
                agents:
                  first:
                    run: echo one
                  show:
                    env:
                      MY_SETTING: "on"
                    run: env -0 > "$BATON_OUTPUT"
                """
            );

            Assert.Equal(RunStatus.Succeeded, outcome.Status);
            var env = File.ReadAllText(run.AgentOutput("show"))
                .Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('=', 2))
                .ToDictionary(kv => kv[0], kv => kv[1]);
            string[] bashOwn = ["PWD", "SHLVL", "_", "OLDPWD"];
            Assert.All(env.Keys, name =>
                Assert.True(
                    name is "PATH" or "HOME" or "MY_SETTING"
                        || name.StartsWith("BATON_", StringComparison.Ordinal)
                        || bashOwn.Contains(name),
                    $"unexpected variable {name} in the agent's environment"
                )
            );
            Assert.DoesNotContain("BATON_TEST_SECRET_X", env.Keys);
            Assert.DoesNotContain(env.Values, v => v.Contains("leaked", StringComparison.Ordinal));
            Assert.Equal("on", env["MY_SETTING"]);
            Assert.Equal("events", env["BATON_INPUT_TOPIC"]);
            Assert.Equal(run.AgentOutput("first"), env["BATON_OUT_FIRST"]);
            Assert.Equal(run.Path, env["BATON_RUN_DIR"]);
            Assert.Equal(run.AgentInbox("show"), env["BATON_INBOX"]);
            Assert.Equal(run.Work, env["PWD"]);
            Assert.Equal(Environment.GetEnvironmentVariable("HOME"), env["HOME"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("BATON_TEST_SECRET_X", null);
            Environment.SetEnvironmentVariable("ENGINE_ONLY_SETTING", null);
        }
    }
}
