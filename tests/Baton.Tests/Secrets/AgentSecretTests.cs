using System.Text;
using Baton.Runs;
using Baton.Tests.Events;

namespace Baton.Tests.Secrets;

/// <summary>A canary secret given to a bash agent never appears in any file of the run, in any encoding.</summary>
public sealed class AgentSecretTests : IDisposable
{
    private readonly string _keyDir = Path.Combine(Path.GetTempPath(), "baton-keys", Guid.NewGuid().ToString("N")[..8]);
    private const string Canary = "canary-Zq8xV3tK9pL2mN7w";

    private static IEnumerable<string> Encodings(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        yield return value;
        yield return Convert.ToBase64String(bytes);
        yield return Convert.ToBase64String([.. "x"u8, .. bytes])[4..20]; // inside a longer base64 blob, other alignments
        yield return Convert.ToBase64String([.. "xy"u8, .. bytes])[4..20];
        yield return Convert.ToHexStringLower(bytes);
        yield return Uri.EscapeDataString(value);
    }

    [Fact]
    public async Task DeclaredSecret_ReachesTheScript_ButNoFileOfTheRunInAnyEncoding()
    {
        using var ws = new TestWorkspace();
        var store = new Baton.Secrets.SecretStore(ws.Root, Path.Combine(_keyDir, "master.key"));
        store.Set("API_TOKEN", Canary);

        var chainYaml = """
            name: leaky
            agents:
              leak:
                secrets: [API_TOKEN]
                run: |
                  test "${#API_TOKEN}" = 23
                  echo "token: $API_TOKEN"
                  printf %s "$API_TOKEN" | base64
                  printf 'xx%s' "$API_TOKEN" | base64 -w0; echo
                  printf %s "$API_TOKEN" | od -An -tx1 | tr -d ' \n'; echo
                  echo "stderr $API_TOKEN" >&2
                  echo "{\"t\": \"$API_TOKEN\"}" > "$BATON_INBOX/.e.tmp" && mv "$BATON_INBOX/.e.tmp" "$BATON_INBOX/told.json"
                  echo "out $API_TOKEN" > "$BATON_OUTPUT"
              nosy:
                run: |
                  echo "nosy sees: ${API_TOKEN:-nothing}"
              failing:
                secrets: [API_TOKEN]
                needs: [nosy]
                run: |
                  echo "failed with $API_TOKEN" >&2
                  exit 1
            """;
        var run = await ws.CreateRunAsync(chainYaml);
        var engine = new RunEngine(
            Baton.Workspaces.Workspace.Open(ws.Root, Path.Combine(_keyDir, "master.key")),
            TestWorkspace.FastOptions()
        );
        var outcome = await engine.RunAsync(run);

        Assert.Equal(RunStatus.Failed, outcome.Status); // `failing` fails on purpose; `leak` succeeded
        Assert.Contains("leak.done", TestWorkspace.Types(run));
        Assert.Equal("nosy sees: nothing\n", File.ReadAllText(run.AgentOutput("nosy")));
        Assert.Contains("***", File.ReadAllText(Path.Combine(run.AgentDir("leak"), "stdout.log")));
        foreach (var file in Directory.EnumerateFiles(run.Path, "*", SearchOption.AllDirectories))
        {
            var content = File.ReadAllText(file);
            foreach (var form in Encodings(Canary))
                Assert.False(
                    content.Contains(form, StringComparison.Ordinal),
                    $"{Path.GetRelativePath(run.Path, file)} contains the secret as '{form}'"
                );
        }
        Assert.Contains(TestWorkspace.Events(run), e =>
            e.Type == "leak.told" && e.Data!.Value.GetRawText().Contains("***", StringComparison.Ordinal)
        );
    }

    [Fact]
    public async Task MissingSecret_FailsTheAgentWithHowToSetIt()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: missing
            agents:
              a:
                secrets: [NOT_SET]
                run: echo hi
            """
        );
        Assert.Equal(RunStatus.Failed, outcome.Status);
        var failed = TestWorkspace.Events(run).Single(e => e.Type == "a.failed");
        Assert.Equal("config", failed.GetString("reason"));
        Assert.Contains("baton secret set NOT_SET", failed.GetString("message"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_keyDir, recursive: true);
        }
        catch (IOException) { }
    }
}
