namespace Baton.Server.Auth;

/// <summary>SPEC §5: each role can do everything the ones before it can.</summary>
public enum Role
{
    Viewer = 1,
    Reviewer = 2,
    Editor = 3,
    Owner = 4,
}

public static class Roles
{
    public static bool TryParse(string text, out Role role) =>
        Enum.TryParse(text, ignoreCase: true, out role) && Enum.IsDefined(role);

    public static string Name(Role role) => role.ToString().ToLowerInvariant();
}
