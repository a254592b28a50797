using System.Runtime.InteropServices;

namespace Baton.Isolation;

internal static partial class Native
{
    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int signal);

    /// <summary>lchown, never chown: a folder an agent could write may hold a symlink planted to redirect us.</summary>
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lchown(string path, int owner, int group);
}
