namespace Baton.Tests.Costs;

/// <summary>JSON lines built in a thread's reused buffer (ScratchJson): each line is whole and only itself.</summary>
public class JsonLinesTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.Parse(
        "2026-01-02T03:04:05.6789Z",
        System.Globalization.CultureInfo.InvariantCulture
    );

    [Fact]
    public void LineAfterALongerOne_CarriesNothingOfIt()
    {
        var longer = JsonLines.Write(Time, w => w.WriteString("text", new string('x', 10_000)));
        var shorter = JsonLines.Write(Time, w => w.WriteNumber("n", 1));

        Assert.Equal(10_046, longer.Length);
        Assert.Equal("{\"time\":\"2026-01-02T03:04:05.678Z\",\"n\":1}\n", System.Text.Encoding.UTF8.GetString(shorter));
    }

    [Fact]
    public void LineWrittenWhileAnotherIsBuilt_BothWhole()
    {
        string? inner = null;
        var outer = JsonLines.Write(Time, w =>
        {
            w.WriteString("a", "1");
            inner = System.Text.Encoding.UTF8.GetString(JsonLines.Write(Time, x => x.WriteString("b", "2")));
            w.WriteString("c", "3");
        });

        Assert.Equal("{\"time\":\"2026-01-02T03:04:05.678Z\",\"b\":\"2\"}\n", inner);
        Assert.Equal(
            "{\"time\":\"2026-01-02T03:04:05.678Z\",\"a\":\"1\",\"c\":\"3\"}\n",
            System.Text.Encoding.UTF8.GetString(outer)
        );
    }

    [Fact]
    public void ScratchReturned_IsRentedAgain_ForTheSameOptions()
    {
        foreach (var options in new[] { default, Baton.Providers.CallRecord.Format })
        {
            var first = ScratchJson.Rent(options);
            first.Dispose();
            using var second = ScratchJson.Rent(options);
            Assert.Same(first, second);
        }
    }
}
