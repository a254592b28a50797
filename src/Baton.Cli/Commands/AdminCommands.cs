using System.CommandLine;
using Baton.Server;
using Baton.Server.Auth;

namespace Baton.Cli.Commands;

/// <summary>Admin commands that work on the server's data folder directly (no server needs to run).</summary>
public static class AdminCommands
{
    public static Command Workspace()
    {
        var name = new Argument<string>("name") { Description = "Workspace name ([a-z][a-z0-9-]*)" };
        var data = ServeCommand.DataOption();
        var create = new Command("create", "Create a workspace in the server's data folder")
        {
            Arguments = { name },
            Options = { data },
        };
        create.SetAction(
            (parse, _) =>
                CommandAction.Run(async () =>
                {
                    var root = new DataRoot(parse.GetValue(data)!);
                    try
                    {
                        root.CreateWorkspace(parse.GetValue(name)!);
                        await Workspaces.AuditLog.AppendAsync(
                            root.WorkspacePath(parse.GetValue(name)!),
                            Environment.UserName,
                            "cli",
                            "workspace.create",
                            parse.GetValue(name)!
                        );
                    }
                    catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                    {
                        throw new UsageException(e.Message);
                    }
                    Console.WriteLine($"created workspace '{parse.GetValue(name)}' in {root.WorkspacesPath}");
                    return ExitCodes.Succeeded;
                })
        );
        return new Command("workspace", "Manage workspaces (admin)") { Subcommands = { create } };
    }

    public static Command Token()
    {
        var workspace = new Option<string>("--workspace")
        {
            Description = "The workspace the token is for",
            Required = true,
        };
        var role = new Option<string>("--role") { Description = "viewer, reviewer, editor or owner", Required = true };
        role.AcceptOnlyFromAmong("viewer", "reviewer", "editor", "owner");
        var name = new Option<string?>("--name") { Description = "Who or what uses it (shown in audit and decisions)" };
        var data = ServeCommand.DataOption();
        var create = new Command("create", "Create an API token; it is printed once and stored hashed")
        {
            Options = { workspace, role, name, data },
        };
        create.SetAction(
            (parse, _) =>
                CommandAction.Run(async () =>
                {
                    var root = new DataRoot(parse.GetValue(data)!);
                    var ws = parse.GetValue(workspace)!;
                    if (!root.WorkspaceExists(ws))
                        throw new UsageException(
                            $"no workspace '{ws}' in {root.WorkspacesPath} (create it: baton workspace create {ws} --data {parse.GetValue(data)})"
                        );
                    Roles.TryParse(parse.GetValue(role)!, out var parsed);
                    var (token, record) = new TokenStore(root.TokensFile).Create(
                        ws,
                        parsed,
                        parse.GetValue(name) ?? $"{parse.GetValue(role)} token"
                    );
                    await Workspaces.AuditLog.AppendAsync(
                        root.WorkspacePath(ws),
                        Environment.UserName,
                        "cli",
                        "token.create",
                        record.Id,
                        $"role {record.Role}, name {record.Name}"
                    );
                    Console.WriteLine(token);
                    return ExitCodes.Succeeded;
                })
        );
        return new Command("token", "Manage API tokens (admin)") { Subcommands = { create } };
    }
}
