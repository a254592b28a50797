using System.Text;
using System.Text.RegularExpressions;
using Baton.Runs;
using Baton.Server.Auth;
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
    private const int MaxPromptBytes = 1024 * 1024; // as much as a chain may reference (ChainFiles)

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.(md|txt)$")]
    private static partial Regex Name();

    public static void MapPrompts(this IEndpointRouteBuilder app, DataRoot data)
    {
        var prompts = app.MapGroup("/api/workspaces/{ws}/prompts");

        prompts.MapGet("/", (string ws) =>
        {
            var folder = Folder(data, ws);
            if (!Directory.Exists(folder) || SafePaths.IsSymlink(folder)) return Results.Ok(Array.Empty<object>());
            return Results.Ok(new DirectoryInfo(folder).EnumerateFiles()
                .Where(f => IsName(f.Name) && f.LinkTarget is null)
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => new { name = f.Name, bytes = f.Length, modified = f.LastWriteTimeUtc, reference = $"../prompts/{f.Name}" }));
        }).Requires(data, Role.Viewer);

        prompts.MapGet("/{name}", (string ws, string name) =>
            File(data, ws, name) is { } file && System.IO.File.Exists(file) && !SafePaths.IsSymlink(file)
                ? Results.Text(System.IO.File.ReadAllText(file), "text/plain; charset=utf-8")
                : Problems.NotFound($"no prompt file '{name}'")).Requires(data, Role.Viewer);

        prompts.MapPut("/{name}", async (string ws, string name, HttpRequest request, HttpContext http) =>
        {
            if (!IsName(name)) return BadName(name);
            var folder = Folder(data, ws);
            if (SafePaths.IsSymlink(folder)) return Problems.Conflict("the workspace's prompts/ folder is a symlink; Baton does not write through it");
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, http.RequestAborted);
            if (buffer.Length > MaxPromptBytes) return Problems.BadRequest("a prompt file is at most 1 MiB");
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, name);
            var existed = System.IO.File.Exists(file);
            // A fresh temp file, then rename over the name: a symlink planted there is replaced, never followed.
            var temp = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                await stream.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), http.RequestAborted);
            System.IO.File.Move(temp, file, overwrite: true);
            await http.AuditAsync(data, ws, "prompt.put", name);
            var answer = new { name, bytes = buffer.Length, reference = $"../prompts/{name}" };
            return existed ? Results.Ok(answer) : Results.Created($"/api/workspaces/{ws}/prompts/{name}", answer);
        }).Requires(data, Role.Editor);

        prompts.MapDelete("/{name}", async (string ws, string name, HttpContext http) =>
        {
            if (File(data, ws, name) is not { } file || !System.IO.File.Exists(file)) return Problems.NotFound($"no prompt file '{name}'");
            System.IO.File.Delete(file); // a symlink is removed itself, not its target
            await http.AuditAsync(data, ws, "prompt.delete", name);
            return Results.NoContent();
        }).Requires(data, Role.Editor);
    }

    private static bool IsName(string name) => name.Length <= 100 && Name().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    private static IResult BadName(string name) =>
        Problems.BadRequest($"'{name}' is not a prompt file name: one file name of letters, digits, '.', '_', '-', ending .md or .txt");

    private static string Folder(DataRoot data, string ws) => Path.Combine(data.WorkspacePath(ws), "prompts");

    /// <summary>The file's path when the name is a valid one inside a real (not symlinked) prompts folder.</summary>
    private static string? File(DataRoot data, string ws, string name) =>
        IsName(name) && !SafePaths.IsSymlink(Folder(data, ws)) ? Path.Combine(Folder(data, ws), name) : null;
}
