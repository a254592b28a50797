using System.Security.Cryptography;

namespace Baton.Secrets;

/// <summary>
/// The 256-bit key that seals every workspace's secrets. Created on the first `secret set` with mode
/// 0600 (never readable by another user, e.g. a workspace's agent user) and refused if anyone else
/// can read it — a key others can read protects nothing.
/// </summary>
internal static class MasterKey
{
    private const int Size = 32;

    public static byte[] Load(string path)
    {
        if (!File.Exists(path))
            throw new SecretStoreException(
                $"no master key at {path}: secrets were stored with a key that is not on this machine (set BATON_MASTER_KEY to its path)"
            );
        if (
            !OperatingSystem.IsWindows()
            && (
                File.GetUnixFileMode(path)
                & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)
            ) != 0
        )
            throw new SecretStoreException($"master key {path} is readable by other users; run `chmod 600 {path}`");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != Size)
            throw new SecretStoreException($"master key {path} is not a {Size}-byte key");
        return bytes;
    }

    public static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
            return Load(path);
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("Baton keeps secrets with Unix file modes");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(dir))
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var key = RandomNumberGenerator.GetBytes(Size);
        try
        {
            // CreateNew: two processes racing to create the key must not overwrite each other's.
            using var stream = new FileStream(
                path,
                new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                }
            );
            stream.Write(key);
            stream.Flush(flushToDisk: true);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            return Load(path);
        }
    }
}
