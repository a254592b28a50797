using Baton.Chains;
using Baton.Prompts;
using Baton.Providers;
using Baton.Runs;
using Baton.Server.Hosting;
using Baton.Testing;
using DiffPlex.Renderer;

namespace Baton.Server.Promotions;

/// <summary>
/// What a promotion of a chain would change, and how the staged version does on its test cases:
/// the chain's staged files (the chain itself, the prompt and script files the staged chain references,
/// its case file tests/&lt;chain&gt;.yaml), each diffed against production, and `baton test` of the staged
/// version run now, as real runs through the workspace's engine (its agents confined as on any run).
/// </summary>
public sealed class PromotionOpener(DataRoot data, RunHost host, ServerSettings settings)
{
    /// <summary>Thrown with a message a person can act on; Status is the HTTP answer.</summary>
    public sealed class Refused(int status, string message) : Exception(message)
    {
        public int Status { get; } = status;
    }

    /// <summary>The staged chain, loaded with staged files over production's; null when neither has the chain.</summary>
    public static (Chain? Chain, string? Yaml, IReadOnlyList<ChainError> Errors) LoadStaged(string root, string name)
    {
        var staging = new Staging(root);
        var relative = Staging.ChainPath(name);
        if (staging.ReadStagedOrProduction(relative) is not { } yaml)
            return (null, null, []);
        var (chain, errors) = ChainLoader.TryLoad(Path.Combine(root, relative), yaml, staging.Reader(relative));
        // What a server refuses to run (an absolute workdir…) is no version to promote either.
        return chain is { ServerErrors.Count: > 0 } ? (null, yaml, chain.ServerErrors) : (chain, yaml, errors);
    }

    /// <summary>The chain's files that are staged, diffed against production (production/PATH → staging/PATH).</summary>
    public static IReadOnlyList<(PromotionFile File, Staging.StagedFile Staged)> StagedFiles(
        string root,
        string name,
        Chain? chain
    )
    {
        var staging = new Staging(root);
        var chainPath = Staging.ChainPath(name);
        var paths = new List<string> { chainPath };
        if (chain is not null)
            paths.AddRange(
                RunCreator.ReferencedFiles(chain).Select(f => staging.WorkspaceRelative(chainPath, f.Relative))
            );
        paths.Add(Staging.CasesPath(name));
        var staged = staging.Files();
        var files = new List<(PromotionFile, Staging.StagedFile)>();
        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            if (!staged.TryGetValue(path, out var entry) || staging.ReadStaged(path) is not { } text)
                continue;
            var production = staging.ReadProduction(path);
            var diff = UnidiffRenderer.GenerateUnidiff(
                production ?? "",
                text,
                $"production/{path}",
                $"staging/{path}",
                false,
                false,
                3
            );
            files.Add(
                (
                    new PromotionFile(
                        path,
                        production is null ? null : Staging.Sha256(production),
                        Staging.Sha256(text),
                        diff.Length == 0 || diff.EndsWith('\n') ? diff : diff + "\n"
                    ),
                    entry
                )
            );
        }
        return files;
    }

    /// <exception cref="Refused">Review is not required, nothing is staged, or the staged chain is invalid.</exception>
    public async Task<Promotion> OpenAsync(string ws, string name, string who, string token, CancellationToken cancel)
    {
        var root = data.WorkspacePath(ws);
        if (!host.WorkspaceOf(ws).Config.ReviewRequired)
            throw new Refused(
                409,
                $"workspace '{ws}' does not require review (review: required in baton.yaml): a PUT changes production directly, there is nothing to promote"
            );
        var (chain, yaml, errors) = LoadStaged(root, name);
        if (yaml is null)
            throw new Refused(404, $"no chain '{name}', staged or in production");
        if (chain is null)
            throw new Refused(
                422,
                $"the staged chain '{name}' is invalid: {string.Join("; ", errors.Select(e => $"{e.Location.Line}:{e.Location.Column}: {e.Message}"))}"
            );
        var files = StagedFiles(root, name, chain);
        if (files.Count == 0)
            throw new Refused(
                409,
                $"nothing is staged for chain '{name}': PUT the chain or one of its prompt files first, then open the promotion"
            );
        var tests = await TestAsync(ws, root, chain, yaml!, cancel);
        var now = settings.Time.GetUtcNow();
        var authors = files.Select(f => f.Staged).Append(new Staging.StagedFile("", "", who, token, now)).ToList();
        return new Promotion(
            PromotionStore.NewId(now),
            name,
            Promotion.Open,
            now,
            who,
            [.. authors.Select(a => a.Token).Distinct(StringComparer.Ordinal)],
            [.. authors.Select(a => a.Who).Distinct(StringComparer.Ordinal)],
            [.. files.Select(f => f.File)],
            tests,
            [new PromotionStep(now, who, token, "open", null, null)]
        );
    }

    private async Task<PromotionTests> TestAsync(
        string ws,
        string root,
        Chain chain,
        string yaml,
        CancellationToken cancel
    )
    {
        var casesPath = Staging.CasesPath(chain.Name);
        if (new Staging(root).ReadStagedOrProduction(casesPath) is not { } text)
            return new PromotionTests(false, true, [], $"no case file {casesPath}: nothing was tested");
        IReadOnlyList<TestCase> cases;
        try
        {
            cases = TestCaseFile.Parse(Path.Combine(root, casesPath), text);
        }
        catch (ChainValidationException e)
        {
            return new PromotionTests(true, false, [], $"the case file {casesPath} has errors: {e.Message}");
        }
        var (workspace, options) = host.EngineParts(ws);
        using var tester = new ChainTester(
            workspace,
            options,
            new ProviderPool(
                new ProviderOptions
                {
                    Environment = n =>
                        settings.AllowedEnvironment.Contains(n) ? Environment.GetEnvironmentVariable(n) : null,
                    MasterKeyPath = data.MasterKeyPath,
                }
            )
        );
        var results = new List<PromotionCase>();
        foreach (var testCase in cases)
        {
            var result = await tester.RunAsync(chain, yaml, testCase, cancel);
            results.Add(
                new PromotionCase(
                    result.Case.Description,
                    result.Passed,
                    result.RunId,
                    result.Status,
                    result.Problem,
                    [
                        .. result
                            .Assertions.Where(a => !a.Result.Pass)
                            .Select(a => $"{a.Assertion.Type} [{a.Agent}]: {a.Result.Reason}"),
                    ]
                )
            );
        }
        var passed = results.Count(r => r.Passed);
        return new PromotionTests(
            true,
            passed == results.Count,
            results,
            $"{passed} of {results.Count} case{(results.Count == 1 ? "" : "s")} passed"
        );
    }
}
