using System.Text;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Baton.Runs;
using Baton.Server.Auth;
using Baton.Workspaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baton.Server.Api;

/// <summary>
/// Prompt files of a workspace, in its prompts/ folder, so a chain can say `prompt: ../prompts/NAME.md`
/// (paths are relative to the chain, which lives in chains/). Confined: a name is one file name
/// (letters, digits, . _ -, ending .md or .txt; no slash, no `..`), and neither the folder nor the
/// file may be a symlink — reads refuse one, writes replace the name (rename) rather than follow it.
/// </summary>
public static partial class PromptsApi
{
    public sealed record PromptFile(string Name, long Bytes, DateTime Modified, string Reference);

    public sealed record PromptSaved(
        string Name,
        long Bytes,
        string Reference,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Staged = null
    );

    private const int MaxPromptBytes = 1024 * 1024; // as much as a chain may reference (ChainFiles)

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.(md|txt)$")]
    private static partial Regex Name();

    public static void MapPrompts(this IEndpointRouteBuilder app, DataRoot data)
    {
        var prompts = app.MapGroup("/api/workspaces/{ws}/prompts");

        prompts
            .MapGet("/", (string ws) =>
            {
                try
                {
                    // Names lists regular files only: a symlink in prompts/ is not a prompt file.
                    using var folder = WorkspaceDirectory.OpenFolder(data.WorkspacePath(ws), Folder);
                    if (folder is null)
                        return Results.Ok(new List<PromptFile>());
                    return Results.Ok(
                        WorkspaceDirectory
                            .Names(data.WorkspacePath(ws), Folder)
                            .Where(IsName)
                            .Order(StringComparer.Ordinal)
                            .Select(name => new FileInfo(folder.Child(name)))
                            .Select(f => new PromptFile(f.Name, f.Length, f.LastWriteTimeUtc, Reference(f.Name)))
                            .ToList()
                    );
                }
                catch (UnsafePathException)
                {
                    return SymlinkedFolder();
                }
            })
            .Requires(data, Role.Viewer);

        prompts
            .MapGet("/{name}", (string ws, string name) =>
            {
                if (!IsName(name))
                    return NoFile(name);
                try
                {
                    return
                        WorkspaceDirectory.ReadText(data.WorkspacePath(ws), $"{Folder}/{name}", MaxPromptBytes)
                            is { } text
                        ? Results.Text(text, "text/plain; charset=utf-8")
                        : NoFile(name);
                }
                catch (UnsafePathException)
                {
                    return NoFile(name);
                } // a symlink is no prompt file
                catch (IOException)
                {
                    return Problems.Conflict($"'{name}' is larger than 1 MiB");
                }
            })
            .Requires(data, Role.Viewer);

        prompts
            .MapPut(
                "/{name}",
                async (string ws, string name, HttpRequest request, HttpContext http, Hosting.RunHost host) =>
                {
                    if (!IsName(name))
                        return BadName(name);
                    using var buffer = new MemoryStream();
                    await request.Body.CopyToAsync(buffer, http.RequestAborted);
                    if (buffer.Length > MaxPromptBytes)
                        return Problems.BadRequest("a prompt file is at most 1 MiB");
                    var root = data.WorkspacePath(ws);
                    var existed = WorkspaceDirectory.IsFile(root, $"{Folder}/{name}");
                    bool staged;
                    // A fresh temp file renamed over the name: a symlink planted there is replaced, never followed.
                    try
                    {
                        staged = await ReviewedWrite.WriteAsync(
                            data,
                            host,
                            http,
                            ws,
                            $"{Folder}/{name}",
                            buffer.ToArray(),
                            "prompt",
                            name
                        );
                    }
                    catch (UnsafePathException)
                    {
                        return SymlinkedFolder();
                    }
                    if (staged)
                        return Results.Accepted(
                            $"/api/workspaces/{ws}/prompts/{name}",
                            new PromptSaved(name, buffer.Length, Reference(name), Staged: true)
                        );
                    var answer = new PromptSaved(name, buffer.Length, Reference(name));
                    return existed
                        ? Results.Ok(answer)
                        : Results.Created($"/api/workspaces/{ws}/prompts/{name}", answer);
                }
            )
            .Requires(data, Role.Editor);

        prompts
            .MapDelete("/{name}", async (string ws, string name, HttpContext http, Hosting.RunHost host) =>
            {
                if (!IsName(name))
                    return NoFile(name);
                if (ReviewedWrite.ReviewRequired(host, ws))
                    return Problems.Conflict(
                        $"workspace '{ws}' requires review: a production prompt file is not deleted directly; stage the chains that use it without it and promote them"
                    );
                try
                {
                    using var folder = WorkspaceDirectory.OpenFolder(data.WorkspacePath(ws), Folder);
                    var file = folder?.Child(name);
                    if (file is null || !System.IO.File.Exists(file) && new FileInfo(file).LinkTarget is null)
                        return NoFile(name);
                    System.IO.File.Delete(file); // a symlink is removed itself, not its target
                }
                catch (UnsafePathException)
                {
                    return SymlinkedFolder();
                }
                await http.AuditAsync(data, ws, "prompt.delete", name);
                return Results.NoContent();
            })
            .Requires(data, Role.Editor);
    }

    private static bool IsName(string name) =>
        name.Length <= 100 && Name().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    private static IResult BadName(string name) =>
        Problems.BadRequest(
            $"'{name}' is not a prompt file name: one file name of letters, digits, '.', '_', '-', ending .md or .txt"
        );

    private const string Folder = "prompts";

    private static string Reference(string name) => $"../{Folder}/{name}";

    private static IResult NoFile(string name) => Problems.NotFound($"no prompt file '{name}'");

    private static IResult SymlinkedFolder() =>
        Problems.Conflict("the workspace's prompts/ folder is a symlink; Baton does not go through it");
}
