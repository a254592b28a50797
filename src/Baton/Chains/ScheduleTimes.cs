using Cronos;

namespace Baton.Chains;

/// <summary>Cron expressions as `schedule:` takes them: five fields, or six with seconds first (Cronos).</summary>
public static class ScheduleTimes
{
    /// <exception cref="CronFormatException">Not a valid expression.</exception>
    public static CronExpression Parse(string cron) =>
        CronExpression.Parse(cron, FieldCount(cron) == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);

    public static int FieldCount(string cron) =>
        cron.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>Why the expression is not usable, or null.</summary>
    public static string? Problem(string cron)
    {
        var fields = FieldCount(cron);
        if (fields is not (5 or 6) && !cron.TrimStart().StartsWith('@'))
            return $"a schedule has 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, not {fields}";
        try
        {
            Parse(cron.Trim());
            return null;
        }
        catch (CronFormatException e)
        {
            // Cronos says "The given cron expression has an invalid format. Minutes: Value must be …": keep the part that helps.
            var message = e.Message.Replace(
                "The given cron expression has an invalid format. ",
                "",
                StringComparison.Ordinal
            );
            return message.TrimEnd('.');
        }
    }
}
