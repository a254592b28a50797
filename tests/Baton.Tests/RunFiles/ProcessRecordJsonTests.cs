using System.Text.Json;
using Baton.Agents;

namespace Baton.Tests.RunFiles;

/// <summary>agents/&lt;name&gt;/process.json, written by hand (ProcessRecordConverter): the same bytes as the generated serializer's.</summary>
public class ProcessRecordJsonTests
{
    [Fact]
    public void ProcessRecord_Written_IsSnakeCaseOnOneLine_AndReadsBack()
    {
        var json = JsonSerializer.Serialize(
            new ProcessRecord(4321, 9_876_543_210),
            ProcessRecordJson.Default.ProcessRecord
        );

        Assert.Equal("""{"pid":4321,"start_time":9876543210}""", json);
        Assert.Equal(
            new ProcessRecord(4321, 9_876_543_210),
            JsonSerializer.Deserialize(json, ProcessRecordJson.Default.ProcessRecord)
        );
    }

    [Theory]
    [InlineData("""{"pid":"x","start_time":1}""")]
    [InlineData("""{"pid":1.5}""")]
    [InlineData("[1,2]")]
    [InlineData("{")]
    public void ProcessRecord_Unreadable_IsAJsonException(string json)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ProcessRecordJson.Default.ProcessRecord));
    }
}
