using System.Text;
using Baton.Events;

namespace Baton.Tests.Events;

public class EventJsonTests
{
    [Fact]
    public void EventFiles_KeepApostrophesAndLetters_AsPeopleWroteThem_AndRoundTrip()
    {
        var e = new RunEvent(
            7,
            "review.decided",
            "review",
            1,
            DateTimeOffset.UnixEpoch,
            EventCodec.Encode(
                new AgentDecided(
                    Decision.Approve,
                    "ann",
                    "don't ship the naïve <draft> & \"quotes\"\nline two",
                    1,
                    null
                )
            )
        );

        var text = Encoding.UTF8.GetString(EventJson.Serialize(e));

        Assert.Contains("don't ship the naïve <draft> & \\\"quotes\\\"\\nline two", text); // only what JSON itself requires is escaped
        Assert.Contains("\"time\": \"1970-01-01T00:00:00.000000Z\"", text);
        var back = EventJson.Deserialize(Encoding.UTF8.GetBytes(text));
        Assert.Equal("don't ship the naïve <draft> & \"quotes\"\nline two", back.GetString("comment"));

        var line = EventJson.ToLine(e); // `baton events --json`, a server-sent event's data: one line, the same object
        Assert.DoesNotContain('\n', line);
        Assert.Equal(back, EventJson.Deserialize(Encoding.UTF8.GetBytes(line)) with { Data = back.Data });
        Assert.Equal(
            "don't ship the naïve <draft> & \"quotes\"\nline two",
            EventJson.Deserialize(Encoding.UTF8.GetBytes(line)).GetString("comment")
        );
    }
}
