namespace Baton.Import;

/// <summary>A Mentiko chain field Baton cannot express (or a file that is not a Mentiko chain): the message names the JSON path.</summary>
public sealed class MentikoImportException(string message) : Exception(message);
