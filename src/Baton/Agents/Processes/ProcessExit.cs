namespace Baton.Agents.Processes;

/// <summary>How a process ended: exactly one of ExitCode and Signal is set.</summary>
public readonly record struct ProcessExit(int? ExitCode, int? Signal)
{
    public static ProcessExit Code(int exitCode) => new(exitCode, null);

    public static ProcessExit Killed(int signal) => new(null, signal);

    public bool Succeeded => ExitCode == 0;

    /// <summary>Decodes a waitpid status (WIFEXITED/WEXITSTATUS, WIFSIGNALED/WTERMSIG).</summary>
    internal static ProcessExit FromWaitStatus(int status)
    {
        int termSignal = status & 0x7f;
        return termSignal == 0 ? Code((status >> 8) & 0xff) : Killed(termSignal);
    }

    public override string ToString() => ExitCode is { } code ? $"exit code {code}" : $"signal {Signal}";
}
