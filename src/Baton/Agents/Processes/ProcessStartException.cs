namespace Baton.Agents.Processes;

/// <summary>The process could not be started at all (command not found, not executable, bad directory).</summary>
public sealed class ProcessStartException(string message) : Exception(message);
