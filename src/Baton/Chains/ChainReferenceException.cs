namespace Baton.Chains;

/// <summary>
/// Thrown by a referenced-file reader for a path it refuses (outside the workspace, too large);
/// the loader turns it into a ChainError at the key that named the file.
/// </summary>
public sealed class ChainReferenceException(string message) : Exception(message);
