using Baton.Runs;
using Baton.Tests.Events;

namespace Baton.Tests.Engine;

public class LargeOutputTests
{
    [Fact]
    public async Task TwentyMegabytesOnStdout_IsTheOutput_ByteForByte()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: big
            agents:
              big:
                run: head -c 20000000 /dev/zero | tr '\0' 'a'
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var output = new FileInfo(run.AgentOutput("big"));
        Assert.Equal(20_000_000L, output.Length);
        Assert.Equal(20_000_000L, EngineProbe.Single(run, "big.done").GetInt64("bytes"));
        using var stream = output.OpenRead();
        var buffer = new byte[1 << 16];
        int read;
        while ((read = stream.Read(buffer)) > 0)
            Assert.True(buffer.AsSpan(0, read).IndexOfAnyExcept((byte)'a') < 0, "output has a byte other than 'a'");
    }

    [Fact]
    public async Task BinaryOutputWithNulBytes_IsKeptExactly()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: binary
            agents:
              bin:
                run: printf 'a\000b\377\376\000\n\r\001z'
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal(
            [(byte)'a', 0, (byte)'b', 0xff, 0xfe, 0, (byte)'\n', (byte)'\r', 1, (byte)'z'],
            File.ReadAllBytes(run.AgentOutput("bin"))
        );
    }
}
