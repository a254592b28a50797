using System.Text;
using System.Text.Json.Serialization;
using Baton.Chains;
using Baton.Prompts;
using Baton.Runs;
using Baton.Server.Auth;
using Baton.Server.Hosting;
using Baton.Workspaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baton.Server.Api;

public static class ChainsApi
{
    /// <summary>A chain as the list shows it: valid with its agents and inputs, invalid with its errors, or only staged.</summary>
    public sealed record ChainSummary(
        string Name,
        string? Description,
        bool Valid,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? StagedOnly = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<string>? Agents = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<InputSummary>? Inputs = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<string>? Errors = null
    );

    public sealed record InputSummary(string Name, string? Description, string? Default);

    public sealed record ChainStaged(string Name, bool Staged, string Detail);

    /// <summary>One validation error of a refused chain or configuration, with where it is.</summary>
    public sealed record ErrorAt(string File, int Line, int Column, string Message);

    public static void MapChains(this IEndpointRouteBuilder app, DataRoot data)
    {
        var chains = app.MapGroup("/api/workspaces/{ws}/chains");

        chains
            .MapGet("/", (string ws) =>
            {
                var root = data.WorkspacePath(ws);
                var names = ChainFileNames(root, "chains");
                var list = names.Select(n => Describe(data, ws, n)).ToList();
                // A chain that is only staged so far (review: required) is listed too, so its page can be found.
                list.AddRange(
                    ChainFileNames(root, $"{Staging.Folder}/chains")
                        .Except(names)
                        .Select(n => new ChainSummary(
                            n,
                            "staged: not in production until a promotion is approved",
                            Valid: true,
                            StagedOnly: true,
                            Agents: []
                        ))
                );
                return Results.Ok(list);
            })
            .Requires(data, Role.Viewer);

        chains
            .MapGet("/{name}", (string ws, string name, string? version) =>
            {
                // ?version=staging: the staged chain when there is one (review: required), else production's.
                var text =
                    version == "staging" && ChainNames.Chain().IsMatch(name)
                        ? new Staging(data.WorkspacePath(ws)).ReadStagedOrProduction(RelativeFile(name))
                        : ReadChain(data, ws, name);
                return text is { } yaml
                    ? Results.Text(yaml, "application/yaml")
                    : Problems.NotFound($"no chain '{name}'");
            })
            .Requires(data, Role.Viewer);

        chains
            .MapPut("/{name}", async (string ws, string name, HttpRequest request, HttpContext http, RunHost host) =>
            {
                var file = ChainFile(data, ws, name);
                if (file is null)
                    return Problems.BadRequest($"'{name}' is not a chain name: use [a-z0-9][a-z0-9-]*");
                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                var yaml = await reader.ReadToEndAsync();
                var root = data.WorkspacePath(ws);
                var review = ReviewedWrite.ReviewRequired(host, ws);
                // Under review the chain is checked as it will be promoted: staged prompt files over production's.
                var files = review ? new Staging(root).Reader(RelativeFile(name)) : ChainFiles.Reader(file, root);
                // One parse (ChainLoader refuses a chain over ChainLimits before parsing it): 422 either way.
                var (chain, errors) = ChainLoader.TryLoad(file, yaml, files);
                if (chain is not null)
                    errors = [.. errors, .. chain.ServerErrors];
                if (chain is not null && chain.Name != name)
                    errors =
                    [
                        new ChainError(
                            file,
                            new SourceLocation(1, 1),
                            $"the chain's name must be '{name}', the name it is saved under"
                        ),
                    ];
                if (chain is not null && errors.Count == 0)
                    errors = SubChains.Check(file, chain, data.WorkspacePath(ws));
                if (errors.Count > 0)
                    return ValidationProblem(data, ws, errors);
                var existed = WorkspaceDirectory.IsFile(root, RelativeFile(name));
                if (
                    await ReviewedWrite.WriteAsync(
                        data,
                        host,
                        http,
                        ws,
                        RelativeFile(name),
                        Encoding.UTF8.GetBytes(yaml),
                        "chain",
                        name
                    )
                )
                    return Results.Accepted(
                        $"/api/workspaces/{ws}/chains/{name}/staging",
                        new ChainStaged(
                            name,
                            Staged: true,
                            $"review is required: the chain is staged; production is unchanged until a promotion (POST /api/workspaces/{ws}/chains/{name}/promotions) is approved"
                        )
                    );
                return existed
                    ? Results.Ok(Describe(data, ws, name))
                    : Results.Created($"/api/workspaces/{ws}/chains/{name}", Describe(data, ws, name));
            })
            .Requires(data, Role.Editor);
    }

    /// <summary>Chain names of the *.yaml files in a folder below the workspace (none when it is missing or a link).</summary>
    private static List<string> ChainFileNames(string root, string folder)
    {
        try
        {
            return
            [
                .. WorkspaceDirectory
                    .Names(root, folder)
                    .Where(n => n.EndsWith(".yaml", StringComparison.Ordinal) && ChainNames.Chain().IsMatch(n[..^5]))
                    .Select(n => n[..^5]),
            ];
        }
        catch (UnsafePathException) when (folder != "chains")
        {
            return [];
        }
    }

    internal static string? ChainFile(DataRoot data, string ws, string name) =>
        ChainNames.Chain().IsMatch(name) ? Path.Combine(data.WorkspacePath(ws), RelativeFile(name)) : null;

    private static string RelativeFile(string name) => $"chains/{name}.yaml";

    /// <summary>A stored chain's text, read below the workspace without following any link; null when there is none.</summary>
    internal static string? ReadChain(DataRoot data, string ws, string name) =>
        ChainNames.Chain().IsMatch(name)
            ? WorkspaceDirectory.ReadText(data.WorkspacePath(ws), RelativeFile(name), ChainLimits.MaxBytes)
            : null;

    internal static IResult ValidationProblem(DataRoot data, string ws, IEnumerable<ChainError> errors) =>
        Results.Problem(
            title: "Invalid chain",
            detail: string.Join(
                "\n",
                errors.Select(e =>
                    $"{Path.GetRelativePath(data.WorkspacePath(ws), e.File)}:{e.Location.Line}:{e.Location.Column}: {e.Message}"
                )
            ),
            statusCode: StatusCodes.Status422UnprocessableEntity,
            extensions: new Dictionary<string, object?>
            {
                ["errors"] = errors
                    .Select(e => new ErrorAt(
                        Path.GetRelativePath(data.WorkspacePath(ws), e.File),
                        e.Location.Line,
                        e.Location.Column,
                        e.Message
                    ))
                    .ToList(),
            }
        );

    /// <summary>
    /// The chain's summary for the list. The web UI polls `GET …/chains`, so a stored chain is not
    /// parsed per request: a valid one comes from ChainCache (by its text, its referenced files
    /// checked), an invalid one's errors are kept while the file's modification time and size stay.
    /// </summary>
    private static ChainSummary Describe(DataRoot data, string ws, string name)
    {
        var file = ChainFile(data, ws, name)!;
        var info = new FileInfo(file); // only a cache key: the text itself is read without following links
        var stamp = (info.LastWriteTimeUtc, info.Length);
        if (InvalidChains.TryGetValue(file, out var known) && known.Stamp == stamp)
            return known.Summary;
        try
        {
            var chain = Runs.ChainCache.Load(
                file,
                ReadChain(data, ws, name) ?? "",
                ChainFiles.Reader(file, data.WorkspacePath(ws))
            );
            if (chain.ServerErrors.Count > 0)
                return Invalid(name, [.. chain.ServerErrors.Select(x => x.ToString())]);
            InvalidChains.TryRemove(file, out _);
            return new ChainSummary(
                name,
                chain.Description,
                Valid: true,
                Agents: [.. chain.Agents.Select(a => a.Name)],
                Inputs: [.. chain.Inputs.Select(i => new InputSummary(i.Name, i.Description, i.Default))]
            );
        }
        catch (ChainValidationException e)
        {
            var summary = Invalid(name, [.. e.Errors.Select(x => x.ToString())]);
            InvalidChains[file] = (stamp, summary);
            return summary;
        }
        catch (Exception e) when (e is IOException or Runs.UnsafePathException)
        {
            return Invalid(name, [$"{file}: cannot read the chain: {e.Message}"]); // larger than a chain may be, or a link
        }
    }

    private static ChainSummary Invalid(string name, List<string> errors) =>
        new(name, Description: null, Valid: false, Errors: errors);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<
        string,
        ((DateTime, long) Stamp, ChainSummary Summary)
    > InvalidChains = new(StringComparer.Ordinal);
}
