using Baton.Runs;

namespace Baton.Tests.Engine;

public class InputInjectionTests
{
    private const string Script =
        """printf '%s\0' "$BATON_INPUT_SUBST" "$BATON_INPUT_BACKTICK" "$BATON_INPUT_SEMI" "$BATON_INPUT_QUOTES" > "$BATON_OUTPUT" """;

    [Fact]
    public async Task ShellMetacharactersInInputs_ReachScriptVerbatim_AndNeverRun()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"pwned-{Guid.NewGuid():N}");
        var inputs = new Dictionary<string, string>
        {
            ["subst"] = $"$(touch {marker})",
            ["backtick"] = $"`touch {marker}` `id`",
            ["semi"] = $"x; touch {marker}; rm -rf x",
            ["quotes"] = "\"'\n\\ $HOME ${PATH} 'unterminated",
        };
        using var ws = new TestWorkspace();
        try
        {
            var (run, outcome) = await ws.RunAsync(
                $"""
                name: inert
                inputs:
                  subst: {"{"} description: command substitution {"}"}
                  backtick: {"{"} description: backticks {"}"}
                  semi: {"{"} description: separator {"}"}
                  quotes: {"{"} description: quotes and newline {"}"}
                agents:
                  echo:
                    run: |
                      {Script}
                """,
                inputs
            );

            Assert.Equal(RunStatus.Succeeded, outcome.Status);
            var echoed = File.ReadAllText(run.AgentOutput("echo")).Split('\0');
            Assert.Equal([inputs["subst"], inputs["backtick"], inputs["semi"], inputs["quotes"], ""], echoed);
            Assert.False(File.Exists(marker), "an input was executed as shell code");
            var runScript = File.ReadAllText(Path.Combine(run.AgentDir("echo"), "run.sh"));
            Assert.Equal(Script.Trim(), runScript.Trim());
            Assert.DoesNotContain(marker, runScript, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(marker);
        }
    }
}
