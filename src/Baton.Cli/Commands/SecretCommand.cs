using System.CommandLine;
using Baton.Secrets;
using Baton.Server;

namespace Baton.Cli.Commands;

public static class SecretCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name")
        {
            Description = "Secret name ([A-Z_][A-Z0-9_]*); agents declare it under secrets:",
        };
        var data = new Option<string?>("--data")
        {
            Description = "A server's data folder: then --workspace names one of its workspaces",
        };
        var set = new Command("set", "Store a secret, encrypted; the value is read from stdin and never printed again")
        {
            Arguments = { name },
            Options = { data },
        };
        set.SetAction(
            (parse, cancellationToken) =>
                CommandAction.Run(async () =>
                {
                    var secretName = parse.GetValue(name)!;
                    if (!SecretStore.IsValidName(secretName))
                        throw new UsageException(
                            $"'{secretName}' is not a secret name: use upper-case letters, digits and '_', e.g. GITHUB_TOKEN"
                        );
                    var store = Store(parse, parse.GetValue(data));
                    if (!Console.IsInputRedirected)
                        Console.Error.Write($"value for {secretName} (input hidden, end with Enter): ");
                    var value = Console.IsInputRedirected
                        ? await Console.In.ReadToEndAsync(cancellationToken)
                        : ReadHidden();
                    value = value.TrimEnd('\n', '\r');
                    if (value.Length == 0)
                        throw new UsageException(
                            "the value is empty: pipe it in, e.g. printf %s \"$TOKEN\" | baton secret set NAME"
                        );
                    try
                    {
                        store.Set(secretName, value);
                    }
                    catch (SecretStoreException e)
                    {
                        throw new UsageException(e.Message);
                    }
                    if (parse.GetValue(data) is not null) // a server's workspace keeps an audit log
                        await Workspaces.AuditLog.AppendAsync(
                            Path.GetDirectoryName(Path.GetDirectoryName(store.File))!,
                            Environment.UserName,
                            "cli",
                            "secret.set",
                            secretName
                        );
                    Console.WriteLine($"secret {secretName} stored (encrypted; key {store.MasterKeyPath})");
                    return ExitCodes.Succeeded;
                })
        );
        var list = new Command("list", "The names of the workspace's secrets (never values)") { Options = { data } };
        list.SetAction(
            (parse, _) =>
                CommandAction.Run(() =>
                {
                    try
                    {
                        foreach (var secret in Store(parse, parse.GetValue(data)).Names())
                            Console.WriteLine(secret);
                    }
                    catch (SecretStoreException e)
                    {
                        throw new UsageException(e.Message);
                    }
                    return Task.FromResult(ExitCodes.Succeeded);
                })
        );
        return new Command("secret", "Workspace secrets, encrypted at rest") { Subcommands = { set, list } };
    }

    private static SecretStore Store(ParseResult parse, string? dataPath)
    {
        if (dataPath is null)
            return CliWorkspace.Open(parse).Secrets();
        var root = new DataRoot(dataPath);
        var ws = parse.GetValue(CliWorkspace.Option)
            ?? throw new UsageException("with --data, name the workspace: --workspace W");
        if (!root.WorkspaceExists(ws))
            throw new UsageException($"no workspace '{ws}' in {root.WorkspacesPath}");
        return root.OpenWorkspace(ws).Secrets();
    }

    private static string ReadHidden()
    {
        var value = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
                break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (value.Length > 0)
                    value.Length--;
                continue;
            }
            value.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return value.ToString();
    }
}
