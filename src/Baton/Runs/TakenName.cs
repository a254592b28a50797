using System.Globalization;

namespace Baton.Runs;

/// <summary>
/// The name an inbox file gets in <c>inbox/.taken/</c>: <c>&lt;when&gt;@&lt;agent folder&gt;@&lt;the inbox file's name&gt;</c>
/// (the agent folder empty for the top level). The event it becomes records it as its source, so whoever dropped the
/// file (`baton decide`, the server) finds the engine's verdict by the inbox file's name. Made and read here only.
/// </summary>
public readonly record struct TakenName(string Name, string? AgentFolder, string InboxFile)
{
    public static TakenName Make(DateTimeOffset now, int index, string? agentFolder, string inboxFile) =>
        new(
            $"{now.UtcTicks.ToString("x16", CultureInfo.InvariantCulture)}{index.ToString("x4", CultureInfo.InvariantCulture)}@{agentFolder}@{inboxFile}",
            agentFolder,
            inboxFile
        );

    /// <summary>Reads a taken file's name (or an event's source, whose last segment it is); false for anything else.</summary>
    public static bool TryParse(string nameOrSource, out TakenName taken)
    {
        var name = Path.GetFileName(nameOrSource);
        var parts = name.Split('@', 3);
        taken = parts.Length == 3 ? new TakenName(name, parts[1].Length == 0 ? null : parts[1], parts[2]) : default;
        return parts.Length == 3;
    }

    /// <summary>Whether an event came from this inbox file.</summary>
    public static bool CameFrom(string? source, string inboxFile) =>
        source is not null && TryParse(source, out var taken) && taken.InboxFile == inboxFile;

    /// <summary>The source an event taken under this name records.</summary>
    public string Source => Inbox.Source(Name);
}
