using Baton.Events;

namespace Baton.Tests.Events;

/// <summary>What an event file's name must be for a reader to take it (SPEC §3: `NNNNNN-<type>.json`).</summary>
public class EventFileNameTests
{
    [Theory]
    [InlineData("000001-run.started.json", 1, "run.started")]
    [InlineData("000042-research.done.json", 42, "research.done")]
    [InlineData("1234567-a.tick10.json", 1234567, "a.tick10")]
    [InlineData("000007-research:complete.json", 7, "research:complete")]
    [InlineData("000008-fetch-data.my_event.json", 8, "fetch-data.my_event")]
    public void AnEventFile_GivesItsNumberAndType(string name, long seq, string type)
    {
        Assert.True(EventFiles.TryParse(name, out var parsedSeq, out var parsedType));
        Assert.Equal(seq, parsedSeq);
        Assert.Equal(type, parsedType.ToString());
        Assert.Equal(name, EventFiles.FileName(seq, type));
    }

    [Theory]
    [InlineData("00001-a.done.json")] // five digits
    [InlineData("000001-A.done.json")] // a type starts with a-z
    [InlineData("000001-1a.json")]
    [InlineData("000001-.json")] // no type
    [InlineData("000001-a.done")] // not .json
    [InlineData("000001-a.done.json.tmp")] // a temporary file
    [InlineData(".000001-a.done.json")]
    [InlineData("000001-a done.json")]
    [InlineData("000001-a/b.json")]
    [InlineData("00000١-a.done.json")] // another script's digit
    [InlineData("99999999999999999999-a.done.json")] // no run has that many events
    [InlineData("000001a-b.json")]
    [InlineData("000001")]
    [InlineData("")]
    public void AnyOtherName_IsNotAnEvent(string name)
    {
        Assert.False(EventFiles.TryParse(name, out _, out _));
    }
}
