namespace Baton.Chains;

/// <summary>Shape checks for paths written in a chain: relative, no NUL, and (optionally) no `..` escape.</summary>
internal static class RelativePath
{
    /// <summary>A problem description, or null when the path is acceptable.</summary>
    public static string? Check(string path, string what, bool allowParent = false)
    {
        if (path.Length == 0)
        {
            return $"{what} is empty";
        }
        if (path.Contains('\0'))
        {
            return $"{what} contains a NUL character";
        }
        if (
            Path.IsPathRooted(path)
            || path.StartsWith('/')
            || path.StartsWith('\\')
            || path.StartsWith('~')
            || (path.Length > 1 && path[1] == ':')
        )
        {
            return $"{what} '{path}' must be a relative path";
        }
        if (!allowParent && EscapesStart(path))
        {
            return $"{what} '{path}' escapes its folder ('..' goes above where it starts)";
        }
        return null;
    }

    private static bool EscapesStart(string path)
    {
        var depth = 0;
        foreach (var segment in path.Split('/', '\\'))
        {
            depth += segment switch
            {
                ".." => -1,
                "" or "." => 0,
                _ => 1,
            };
            if (depth < 0)
            {
                return true;
            }
        }
        return false;
    }
}
