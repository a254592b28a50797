using System.Diagnostics;
using System.Text.Json;

namespace Baton.Tests.Cli;

public class CliSecretAndCostTests
{
    [Fact]
    public async Task SecretSet_FromStdin_IsEncrypted_AndReachesTheAgentThatDeclaresIt()
    {
        using var ws = new TestWorkspace();
        var env = BatonCli.OwnMasterKey(ws, out var key);
        ws.Write("baton.yaml", "");
        ws.Write(
            "chains/use.yaml",
            """
            name: use
            agents:
              a:
                secrets: [DEPLOY_TOKEN]
                run: |
                  echo "length ${#DEPLOY_TOKEN}"
            """
        );

        await BatonCli.SetSecretAsync(ws.Root, env, "DEPLOY_TOKEN", "tok-1234567890");
        Assert.DoesNotContain("tok-1234567890", File.ReadAllText(Path.Combine(ws.Root, ".baton", "secrets.json")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));

        var list = await BatonCli.RunAsync(ws.Root, env, "secret", "list");
        Assert.Equal("DEPLOY_TOKEN", list.Stdout.Trim());
        var run = await BatonCli.RunAsync(ws.Root, env, "run", "use");
        Assert.True(run.ExitCode == 0, run.ToString());
        var logs = await BatonCli.RunAsync(ws.Root, "logs", "last");
        Assert.Contains("length 14", logs.Stdout);
        File.Delete(key);
    }

    [Fact]
    public async Task Costs_ListsCallsByChain_AsJson()
    {
        using var ws = new TestWorkspace();
        ws.Write(
            "chains/ask.yaml",
            """
            name: ask
            agents:
              q:
                prompt: Say hello
            """
        );
        var env = new Dictionary<string, string> { ["OPENAI_API_KEY"] = "", ["ANTHROPIC_API_KEY"] = "" };
        Assert.Equal(0, (await BatonCli.RunAsync(ws.Root, env, "run", "ask")).ExitCode);
        var costs = await BatonCli.RunAsync(ws.Root, "costs", "--by", "chain", "--json");
        Assert.True(costs.ExitCode == 0, costs.ToString());
        var row = Assert.Single(JsonDocument.Parse(costs.Stdout).RootElement.EnumerateArray());
        Assert.Equal("ask", row.GetProperty("chain").GetString());
        Assert.Equal(1, row.GetProperty("calls").GetInt32());
        Assert.Equal(0m, row.GetProperty("usd").GetDecimal());
        Assert.Equal(2, (await BatonCli.RunAsync(ws.Root, "costs", "--since", "yesterday")).ExitCode);
    }

    [Fact]
    public async Task SecretSet_FromManyProcessesAtOnce_KeepsEverySecret()
    {
        using var ws = new TestWorkspace();
        var env = BatonCli.OwnMasterKey(ws, out _);
        ws.Write("baton.yaml", "");
        // The master key exists first, so the processes race only on secrets.json.
        await BatonCli.SetSecretAsync(ws.Root, env, "FIRST", "value-first");

        var setters = Enumerable
            .Range(0, 8)
            .Select(i => BatonCli.Start(ws.Root, env, "secret", "set", $"TOKEN_{i}"))
            .ToList();
        foreach (var (setter, i) in setters.Select((p, i) => (p, i)))
        {
            await setter.StandardInput.WriteAsync($"value-{i}");
            setter.StandardInput.Close();
        }
        foreach (var setter in setters)
        {
            await setter.WaitForExitAsync();
            Assert.True(setter.ExitCode == 0, await setter.StandardError.ReadToEndAsync());
            setter.Dispose();
        }

        var list = await BatonCli.RunAsync(ws.Root, env, "secret", "list");
        Assert.Equal(
            ["FIRST", .. Enumerable.Range(0, 8).Select(i => $"TOKEN_{i}")],
            list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        );
    }

    [Fact]
    public async Task Logs_OfARunningAgent_ShowTheSecretMasked_BeforeTheFileIsMaskedAtExit()
    {
        using var ws = new TestWorkspace();
        var env = BatonCli.OwnMasterKey(ws, out _);
        ws.Write("baton.yaml", "");
        ws.Write(
            "chains/leak.yaml",
            """
            name: leak
            agents:
              talk:
                secrets: [DEPLOY_TOKEN]
                run: |
                  echo "token=$DEPLOY_TOKEN"
                  touch "$BATON_RUN_DIR/work/printed"
                  sleep 60
            """
        );
        await BatonCli.SetSecretAsync(ws.Root, env, "DEPLOY_TOKEN", "tok-live-0123456789");
        using var running = BatonCli.Start(ws.Root, env, "run", "leak", "--json");
        await BatonCli.WaitUntil(
            () =>
                Directory.Exists(Path.Combine(ws.Root, "runs"))
                && Directory
                    .EnumerateFiles(Path.Combine(ws.Root, "runs"), "printed", SearchOption.AllDirectories)
                    .Any(),
            "the agent to print its token"
        );
        try
        {
            var stdout = Directory
                .EnumerateFiles(Path.Combine(ws.Root, "runs"), "stdout.log", SearchOption.AllDirectories)
                .Single();
            Assert.Contains("tok-live-0123456789", File.ReadAllText(stdout)); // on disk: raw until the agent exits (docs/security.md)

            var logs = await BatonCli.RunAsync(ws.Root, env, "logs", "last");

            Assert.Contains("talk | token=***", logs.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("tok-live", logs.Stdout + logs.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await BatonCli.RunAsync(ws.Root, env, "cancel", "last");
            await running.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
    }
}
