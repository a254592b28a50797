using Baton.Costs;

namespace Baton.Tests.Llm;

public class BudgetReservationTests
{
    [Fact]
    public void CallsInFlight_ReserveTheirWorstCase_SoTogetherTheyCannotPassTheBudget()
    {
        var workspace = "/tmp/reservation-" + Guid.NewGuid();
        using var first = BudgetReservations.TryReserve(
            workspace,
            budget: 1m,
            monthToDate: 0.50m,
            worstCase: 0.30m,
            out var none
        );
        Assert.NotNull(first);
        Assert.Null(none);

        var second = BudgetReservations.TryReserve(workspace, 1m, 0.50m, 0.30m, out var refusal);
        Assert.Null(second);
        Assert.Contains("reserved", refusal);

        first!.Dispose();
        using var third = BudgetReservations.TryReserve(workspace, 1m, 0.50m, 0.30m, out _);
        Assert.NotNull(third);
        Assert.Equal(0.30m, BudgetReservations.Reserved(workspace));
    }
}
