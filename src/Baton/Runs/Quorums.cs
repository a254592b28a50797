using Baton.Chains;

namespace Baton.Runs;

/// <summary>
/// `needs: {quorum: N, of: [...], timeout}` (docs/chains.md, Quorum): met once N of the listed events
/// occurred; the timeout counts from the first of them, so "2 of 3 reviewers within 10m of the first
/// answer" — a wait that never began cannot time out (it is skipped when nothing else can happen).
/// </summary>
internal static class Quorums
{
    public static bool Met(Quorum quorum, RunState state) => Occurred(quorum, state) >= quorum.Count;

    public static DateTimeOffset? Deadline(Quorum quorum, RunState state)
    {
        if (quorum.Timeout is not { } timeout)
            return null;
        DateTimeOffset? first = null;
        foreach (var type in quorum.Of)
            if (state.LastOfType.TryGetValue(type, out var e) && (first is null || e.Time < first))
                first = e.Time;
        return first + timeout;
    }

    public static string WhyNotMet(Quorum quorum, RunState state) =>
        $"quorum {quorum.Count} of [{string.Join(", ", quorum.Of)}] not reached ({Occurred(quorum, state)} occurred)";

    private static int Occurred(Quorum quorum, RunState state)
    {
        var count = 0;
        foreach (var type in quorum.Of)
            if (state.OccurredTypes.Contains(type))
                count++;
        return count;
    }
}
