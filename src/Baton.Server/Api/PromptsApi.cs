using System.Text;
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
/// file may be a symlink — reads refuse one, writes replace the name (rename) rather than follow it
/// (all through WorkspaceDirectory, the one way root reaches a workspace's files).
/// </summary>
public static partial class PromptsApi
{
    private const int MaxPromptBytes = 1024 * 1024; // as much as a chain may reference (ChainFiles)

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.(md|txt)$")]
    private static partial Regex Name();

    public static void MapPrompts(this IEndpointRouteBuilder app, DataRoot data)
    {
        var prompts = app.MapGroup("/api/workspaces/{ws}/prompts");

        prompts.MapGet("/", (string ws) =>
        {
            using var folder = OpenFolder(data, ws);
            if (folder is null) return Results.Ok(Array.Empty<object>());
            return Results.Ok(new DirectoryInfo(folder.Path).EnumerateFiles()
                .Where(f => IsName(f.Name) && f.LinkTarget is null)
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => new { name = f.Name, bytes = f.Length, modified = f.LastWriteTimeUtc, reference = $"../prompts/{f.Name}" }).ToList());
        }).Requires(data, Role.Viewer);

        prompts.MapGet("/{name}", (string ws, string name) =>
            IsName(name) && Read(data, ws, name) is { } text
                ? Results.Text(text, "text/plain; charset=utf-8")
                : Problems.NotFound($"no prompt file '{name}'")).Requires(data, Role.Viewer);

        prompts.MapPut("/{name}", async (string ws, string name, HttpRequest request, HttpContext http) =>
        {
            if (!IsName(name)) return BadName(name);
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, http.RequestAborted);
            if (buffer.Length > MaxPromptBytes) return Problems.BadRequest("a prompt file is at most 1 MiB");
            var root = data.WorkspacePath(ws);
            var existed = WorkspaceDirectory.IsFile(root, $"prompts/{name}");
            // A fresh temp file, then rename over the name: a symlink planted there is replaced, never followed;
            // a linked prompts/ is refused (409, WorkspaceProblemHandler).
            WorkspaceDirectory.WriteFile(root, $"prompts/{name}", buffer.GetBuffer().AsSpan(0, (int)buffer.Length), createParent: true);
            await http.AuditAsync(data, ws, "prompt.put", name);
            var answer = new { name, bytes = buffer.Length, reference = $"../prompts/{name}" };
            return existed ? Results.Ok(answer) : Results.Created($"/api/workspaces/{ws}/prompts/{name}", answer);
        }).Requires(data, Role.Editor);

        prompts.MapDelete("/{name}", async (string ws, string name, HttpContext http) =>
        {
            using var folder = IsName(name) ? OpenFolder(data, ws) : null;
            if (folder is null || !Path.Exists(folder.Child(name))) return Problems.NotFound($"no prompt file '{name}'");
            System.IO.File.Delete(folder.Child(name)); // a symlink is removed itself, not its target
            await http.AuditAsync(data, ws, "prompt.delete", name);
            return Results.NoContent();
        }).Requires(data, Role.Editor);
    }

    private static bool IsName(string name) => name.Length <= 100 && Name().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    private static IResult BadName(string name) =>
        Problems.BadRequest($"'{name}' is not a prompt file name: one file name of letters, digits, '.', '_', '-', ending .md or .txt");

    /// <summary>The workspace's prompts/ held open, or null when it is missing or a link (nothing is listed or deleted through one).</summary>
    private static WorkspaceDirectory.Held? OpenFolder(DataRoot data, string ws)
    {
        try { return WorkspaceDirectory.OpenFolder(data.WorkspacePath(ws), "prompts"); }
        catch (UnsafePathException) { return null; }
    }

    /// <summary>The prompt's text, or null when there is none (or a link is in the way: it is not followed).</summary>
    private static string? Read(DataRoot data, string ws, string name)
    {
        try { return WorkspaceDirectory.ReadText(data.WorkspacePath(ws), $"prompts/{name}", MaxPromptBytes); }
        catch (UnsafePathException) { return null; }
    }
}
