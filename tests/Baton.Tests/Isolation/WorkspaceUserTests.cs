using Baton.Isolation;
using Baton.Runs;
using Baton.Tests.Engine;

namespace Baton.Tests.Isolation;

/// <summary>Two workspaces, two real Unix users: B's agent cannot reach A's files, the server's files or A's processes.</summary>
public class WorkspaceUserTests
{
    [Fact]
    public async Task AgentOfB_CannotReadAsFolder_ARootOnlyFile_OrTheEnvironmentOfAsAgent_ButWritesItsOwnFolders()
    {
        Machine.RequireRoot();
        var userA = WorkspaceUser.Ensure("isotest-a");
        var userB = WorkspaceUser.Ensure("isotest-b");
        using var a = new TestWorkspace();
        using var b = new TestWorkspace();
        var secret = Path.Combine(Path.GetTempPath(), $"baton-isotest-{Guid.NewGuid():N}.key");
        File.WriteAllText(secret, "root-only");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            using var stopA = new CancellationTokenSource();
            var runA = await a.CreateRunAsync(
                """
                name: hold
                agents:
                  hold:
                    env: { A_PRIVATE: a-canary-value }
                    run: |
                      echo $$ > pid
                      sleep 300
                """
            );
            var engineA = new RunEngine(
                a.Workspace,
                Machine.Options(new AgentIsolation(userA, ResourceLimits.None))
            ).RunAsync(runA, stopA.Token);
            var pidFile = Path.Combine(runA.Work, "pid");
            await EngineProbe.WaitUntilAsync(
                () => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0,
                "A's agent to start"
            );

            var (runB, outcome) = await b.RunAsync(
                """
                name: snoop
                inputs: { target: {}, secret: {}, pid: {} }
                agents:
                  snoop:
                    run: |
                      id -un
                      ls "$BATON_INPUT_TARGET" >/dev/null 2>&1 && echo "LISTED A" || echo "denied list"
                      cat "$BATON_INPUT_TARGET/chains/test.yaml" >/dev/null 2>&1 && echo "READ A's chain" || echo "denied read"
                      cat "$BATON_INPUT_SECRET" >/dev/null 2>&1 && echo "READ root file" || echo "denied root file"
                      tr '\0' '\n' < "/proc/$BATON_INPUT_PID/environ" 2>/dev/null | grep -q a-canary && echo "READ environ" || echo "denied environ"
                      kill -0 "$BATON_INPUT_PID" 2>/dev/null && echo "SIGNALLED A" || echo "denied signal"
                      touch "$BATON_RUN_DIR/../../own-root" 2>/dev/null && echo "WROTE workspace root" || echo "denied workspace root"
                      touch "$BATON_RUN_DIR/events/forged.json" 2>/dev/null && echo "WROTE events" || echo "denied events"
                      touch mine && echo "wrote work"
                      echo '{}' > "$BATON_INBOX/note.json" && echo "wrote inbox"
                      touch "$HOME/.cache" && echo "wrote home"
                      echo "wrote output" >> "$BATON_OUTPUT"
                """,
                new Dictionary<string, string>
                {
                    ["target"] = a.Root,
                    ["secret"] = secret,
                    ["pid"] = File.ReadAllText(pidFile).Trim(),
                },
                Machine.Options(new AgentIsolation(userB, ResourceLimits.None))
            );

            Assert.Equal(RunStatus.Succeeded, outcome.Status);
            Assert.Equal(
                $"{userB.Name}\ndenied list\ndenied read\ndenied root file\ndenied environ\ndenied signal\ndenied workspace root\ndenied events\n"
                    + "wrote work\nwrote inbox\nwrote home\n",
                File.ReadAllText(Path.Combine(runB.AgentDir("snoop"), "stdout.log"))
            );
            Assert.Equal("wrote output\n", File.ReadAllText(runB.AgentOutput("snoop")));

            await stopA.CancelAsync();
            await engineA.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            File.Delete(secret);
        }
    }
}
