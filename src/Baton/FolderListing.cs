namespace Baton;

/// <summary>How Baton lists its own folders (a run's events/, a workspace's runs/) with FileSystemEnumerable.</summary>
internal static class FolderListing
{
    /// <summary>As Directory.EnumerateFiles and EnumerateDirectories list: nothing skipped, an unreadable folder an error.</summary>
    public static readonly EnumerationOptions Options = new() { AttributesToSkip = 0, IgnoreInaccessible = false };
}
