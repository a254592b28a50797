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

    /// <summary>Who a caller is to a decision: whether they may answer is DecisionRules.MayAnswer's, not the role's.</summary>
    public static Runs.Answerer Answerer(this Role role) =>
        role >= Role.Reviewer ? Runs.Answerer.Reviewer : Runs.Answerer.Viewer;
}
