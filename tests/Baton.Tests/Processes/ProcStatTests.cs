using Baton.Agents.Processes;

namespace Baton.Tests.Processes;

public sealed class ProcStatTests
{
    [Fact]
    public void Parse_CommWithSpacesAndParentheses_FindsPgrpAndStartTime()
    {
        const string line =
            "4242 (we) ird (name) S 1 4240 4240 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1234 56 "
            + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

        Assert.Equal(new ProcStat(4240, 987654), ProcStat.Parse(line));
    }
}
