using Baton.Runs;

namespace Baton.Cli;

/// <summary>SPEC §4 exit codes; scripts and CI rely on them.</summary>
public static class ExitCodes
{
    public const int Succeeded = 0;
    public const int Failed = 1;
    public const int InvalidInput = 2;
    public const int Rejected = 3;
    public const int WaitingForDecision = 4;
    public const int Cancelled = 130;

    public static int ForStatus(RunStatus status) =>
        status switch
        {
            RunStatus.Succeeded => Succeeded,
            RunStatus.Rejected => Rejected,
            RunStatus.Waiting => WaitingForDecision,
            RunStatus.Cancelled => Cancelled,
            _ => Failed,
        };
}

/// <summary>Bad input from the user: printed as is, exit 2.</summary>
public sealed class UsageException(string message) : Exception(message);
