using System.Text;
using Baton.Runs;
using Baton.Secrets;

namespace Baton.Tests.Secrets;

/// <summary>
/// Issue 11 item 6: the encodings masking missed, produced by real tools in a bash agent —
/// lowercase percent-encoding, JSON with '/' escaped as '\/', and GNU base64's 76-column wrapping
/// with the secret cut by the line break.
/// </summary>
public sealed class MaskingGapTests : IDisposable
{
    private readonly string _keyDir = Path.Combine(Path.GetTempPath(), "baton-keys", Guid.NewGuid().ToString("N")[..8]);
    private const string Canary = "cAnary/Zq8x V3tK9+pL2mN7w";
    private const int Prefix = 40; // bytes before the secret: its base64 (characters 53–87) crosses column 76

    [Fact]
    public async Task SecretPrintedByRealTools_InTheMissedEncodings_IsMaskedInEveryFileOfTheRun()
    {
        using var ws = new TestWorkspace();
        new SecretStore(ws.Root, Path.Combine(_keyDir, "master.key")).Set("API_TOKEN", Canary);
        var run = await ws.CreateRunAsync(
            $$"""
            name: leaky
            agents:
              leak:
                secrets: [API_TOKEN]
                run: |
                  printf %s "$API_TOKEN" | python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.stdin.read(), safe=""))' | sed -E 's/%([0-9A-F]{2})/%\L\1/g'
                  printf '{"t":"%s"}\n' "$(printf %s "$API_TOKEN" | sed 's|/|\\/|g')"
                  { head -c {{Prefix}} /dev/zero | tr '\0' p; printf %s "$API_TOKEN"; } | base64
                  { head -c {{Prefix}} /dev/zero | tr '\0' p; printf %s "$API_TOKEN"; } | base64 | sed 's/$/\r/' >&2
                  echo done
            """
        );
        var engine = new RunEngine(
            Baton.Workspaces.Workspace.Open(ws.Root, Path.Combine(_keyDir, "master.key")),
            TestWorkspace.FastOptions()
        );
        Assert.Equal(RunStatus.Succeeded, (await engine.RunAsync(run)).Status);

        var stdout = File.ReadAllText(Path.Combine(run.AgentDir("leak"), "stdout.log"));
        var stderr = File.ReadAllText(Path.Combine(run.AgentDir("leak"), "stderr.log"));
        Assert.Equal(6, stdout.Split('\n').Length); // masking keeps the lines: url, json, two base64 lines, done, ""
        Assert.StartsWith("***\n{\"t\":\"***\"}\n", stdout, StringComparison.Ordinal);
        var wrapped = WrappedBase64Of(Canary);
        Assert.Contains('\n', wrapped.Cut); // the secret's base64 really is cut by the wrap
        foreach (var file in Directory.EnumerateFiles(run.Path, "*", SearchOption.AllDirectories))
        {
            var content = File.ReadAllText(file);
            var unwrapped = content
                .Replace("\r", "", StringComparison.Ordinal)
                .Replace("\n", "", StringComparison.Ordinal);
            foreach (var leak in new[] { "%2f", "cAnary\\/", wrapped.Stable })
                Assert.False(
                    unwrapped.Contains(leak, StringComparison.Ordinal),
                    $"{Path.GetRelativePath(run.Path, file)} contains '{leak}'"
                );
        }
        Assert.Contains("***\n***", stdout, StringComparison.Ordinal);
        Assert.Contains("***\r\n***", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void WrappedBase64_OrdinaryTextAround_IsKept()
    {
        var masker = new SecretMasker([Canary]);
        var text = "first line\n" + WrappedBase64Of(Canary).Full + "\nlast line\n";
        var masked = masker.Apply(text);
        Assert.Contains("***\n***", masked, StringComparison.Ordinal);
        Assert.StartsWith("first line\n", masked, StringComparison.Ordinal);
        Assert.EndsWith("\nlast line\n", masked, StringComparison.Ordinal);
        Assert.Equal(text.Split('\n').Length, masked.Split('\n').Length);
        Assert.Equal(text.Split('\n')[1][..53], masked.Split('\n')[1][..53]); // the padding's base64 is not masked
    }

    /// <summary>GNU base64 of (Prefix × 'p' + secret), its characters that depend only on the secret, and that stretch as wrapped at 76.</summary>
    private static (string Full, string Stable, string Cut) WrappedBase64Of(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        var plain = Convert.ToBase64String([.. Enumerable.Repeat((byte)'p', Prefix), .. bytes]);
        int start = (Prefix * 4 + 2) / 3,
            end = (Prefix + bytes.Length) / 3 * 4;
        var full = string.Join('\n', plain.Chunk(76).Select(c => new string(c)));
        return (full, plain[start..end], full[start..(end + 1)]);
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
