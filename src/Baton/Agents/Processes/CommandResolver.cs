namespace Baton.Agents.Processes;

/// <summary>
/// Finds the file to execute the way execvp would, but against the child's PATH rather than
/// Baton's own: an agent must run exactly the tools its environment names.
/// </summary>
internal static class CommandResolver
{
    public static string Resolve(
        string executable,
        IReadOnlyDictionary<string, string> environment,
        string workingDirectory
    )
    {
        if (executable.Length == 0)
        {
            throw new ProcessStartException("cannot start a process: the command is empty");
        }

        if (executable.Contains('/'))
        {
            return Path.GetFullPath(executable, workingDirectory);
        }

        if (!environment.TryGetValue("PATH", out var path))
        {
            throw new ProcessStartException(
                $"command '{executable}' not found: the process environment has no PATH; set PATH or give an absolute path"
            );
        }

        foreach (var directory in path.Split(':'))
        {
            // An empty PATH entry means the current directory, which for the child is its working directory.
            var candidate = Path.Combine(
                directory.Length == 0 ? workingDirectory : Path.GetFullPath(directory, workingDirectory),
                executable
            );
            if (File.Exists(candidate) && Libc.access(candidate, Libc.X_OK) == 0)
            {
                return candidate;
            }
        }

        throw new ProcessStartException(
            $"command '{executable}' not found on PATH ({path}); install it or add its directory to PATH"
        );
    }
}
