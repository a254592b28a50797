using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Baton.Chains;
using Baton.Providers;
using Baton.Runs;
using Baton.Testing;

namespace Baton.Cli.Commands;

/// <summary>`baton test CHAIN`: runs each case of tests/&lt;chain&gt;.yaml and checks its assertions (docs/prompts.md). Exit 0 only if all pass.</summary>
public static class TestCommand
{
    public static Command Create()
    {
        var chainArgument = new Argument<string>("chain") { Description = "Chain name (in chains/) or file" };
        var cases = new Option<string?>("--cases") { Description = "The case file (default: tests/<chain>.yaml)" };
        var json = new Option<bool>("--json") { Description = "Results as JSON" };
        var junit = new Option<string?>("--junit") { Description = "Also write JUnit XML to this file (for CI)" };
        var agentOption = new Option<string?>("--agent")
        {
            Description = "Test one prompt agent alone: its upstream agents' outputs come from each case's outputs:",
        };
        var command = new Command("test", "Run the chain on reference inputs and check assertions on its outputs")
        {
            Arguments = { chainArgument },
            Options = { cases, json, junit, agentOption },
        };
        command.SetAction(
            (parse, cancel) =>
                CommandAction.Run(async () =>
                {
                    var (chainPath, workspace, yaml, chain) = CliWorkspace.LoadChain(parse, chainArgument);
                    var casesPath = parse.GetValue(cases)
                        ?? Path.Combine(workspace.Root, "tests", chain.Name + ".yaml");
                    if (!File.Exists(casesPath))
                        throw new UsageException(
                            $"no case file '{Terminal.Relative(casesPath)}': write tests: [{{description, vars, assert}}] there (docs/prompts.md) or pass --cases FILE"
                        );
                    var testCases = TestCaseFile.Load(casesPath);
                    var agentName = parse.GetValue(agentOption);
                    if (agentName is not null && chain.Agent(agentName)?.Prompt is null)
                        throw new UsageException(
                            $"'{agentName}' is not a prompt agent of chain '{chain.Name}' (prompt agents: {string.Join(", ", chain.Agents.Where(a => a.Prompt is not null).Select(a => a.Name))})"
                        );
                    using var tester = new ChainTester(
                        workspace,
                        new EngineOptions(),
                        new ProviderPool(new ProviderOptions())
                    );
                    var results = new List<CaseResult>();
                    foreach (var testCase in testCases)
                    {
                        var result = agentName is null
                            ? await tester.RunAsync(chain, yaml, testCase, cancel)
                            : await RunAgentAsync(
                                tester,
                                chainPath,
                                workspace.Root,
                                chain,
                                yaml,
                                agentName,
                                testCase,
                                cancel
                            );
                        results.Add(result);
                        if (!parse.GetValue(json))
                            PrintCase(result);
                    }
                    if (parse.GetValue(junit) is { } junitPath)
                        JUnit(chain.Name, results).Save(junitPath);
                    if (parse.GetValue(json))
                        Console.WriteLine(Json(results));
                    else
                        PrintSummary(results);
                    return results.All(r => r.Passed) ? ExitCodes.Succeeded : ExitCodes.Failed;
                })
        );
        return command;
    }

    /// <summary>`--agent`: the case runs the chain cut down to that agent, its upstream outputs from the case (AgentUnderTest).</summary>
    private static async Task<CaseResult> RunAgentAsync(
        ChainTester tester,
        string chainPath,
        string root,
        Chain chain,
        string yaml,
        string agent,
        TestCase testCase,
        CancellationToken cancel
    )
    {
        string cutYaml;
        try
        {
            cutYaml = AgentUnderTest.Yaml(chain, yaml, agent, testCase);
        }
        catch (ArgumentException e)
        {
            return new CaseResult(testCase, null, null, e.Message, [], TimeSpan.Zero);
        }
        var cut = ChainLoader.Load(chainPath, cutYaml, ChainFiles.Reader(chainPath, root));
        return await tester.RunAsync(cut, cutYaml, testCase, cancel);
    }

    private static void PrintCase(CaseResult result)
    {
        Console.WriteLine(
            $"{(result.Passed ? "PASS" : "FAIL")}  {result.Case.Description}  ({result.Status ?? "not run"}{(result.RunId is { } id ? $", run {id}" : "")})"
        );
        if (result.Problem is { } problem)
            Console.WriteLine($"      {problem}");
        foreach (var a in result.Assertions)
            Console.WriteLine(
                $"      {(a.Result.Pass ? "ok  " : "FAIL")}  {a.Assertion.Type}{(a.Assertion.Agent is null ? "" : $" [{a.Agent}]")}: {a.Result.Reason}"
            );
    }

    private static void PrintSummary(IReadOnlyList<CaseResult> results)
    {
        var width = Math.Max(4, results.Select(r => r.Case.Description.Length).DefaultIfEmpty(0).Max());
        Console.WriteLine();
        Console.WriteLine($"{"case".PadRight(width)}  result  assertions  took");
        foreach (var r in results)
            Console.WriteLine(
                $"{r.Case.Description.PadRight(width)}  {(r.Passed ? "pass" : "FAIL"), -6}  {r.Assertions.Count(a => a.Result.Pass), 4}/{r.Assertions.Count, -5}  {Terminal.Elapsed(r.Took)}"
            );
        var passed = results.Count(r => r.Passed);
        Console.WriteLine($"{passed} of {results.Count} case{(results.Count == 1 ? "" : "s")} passed");
    }

    private static string Json(IReadOnlyList<CaseResult> results)
    {
        var list = new JsonArray();
        foreach (var r in results)
        {
            var assertions = new JsonArray();
            foreach (var a in r.Assertions)
                assertions.Add(
                    (JsonNode)
                        new JsonObject
                        {
                            ["type"] = a.Assertion.Type,
                            ["agent"] = a.Agent,
                            ["pass"] = a.Result.Pass,
                            ["score"] = a.Result.Score,
                            ["reason"] = a.Result.Reason,
                        }
                );
            list.Add(
                (JsonNode)
                    new JsonObject
                    {
                        ["description"] = r.Case.Description,
                        ["passed"] = r.Passed,
                        ["run"] = r.RunId,
                        ["status"] = r.Status,
                        ["problem"] = r.Problem,
                        ["took_ms"] = (long)r.Took.TotalMilliseconds,
                        ["assertions"] = assertions,
                    }
            );
        }
        return new JsonObject { ["passed"] = results.All(r => r.Passed), ["cases"] = list }.ToJsonString(
            new JsonSerializerOptions { WriteIndented = true }
        );
    }

    /// <summary>One testsuite, a testcase per case; a failed case's failure lists what failed.</summary>
    private static XDocument JUnit(string chain, IReadOnlyList<CaseResult> results) =>
        new(
            new XElement(
                "testsuites",
                new XElement(
                    "testsuite",
                    new XAttribute("name", chain),
                    new XAttribute("tests", results.Count),
                    new XAttribute("failures", results.Count(r => !r.Passed)),
                    new XAttribute("time", Seconds(results.Sum(r => r.Took.TotalSeconds))),
                    results.Select(r => new XElement(
                        "testcase",
                        new XAttribute("classname", chain),
                        new XAttribute("name", r.Case.Description),
                        new XAttribute("time", Seconds(r.Took.TotalSeconds)),
                        r.Passed
                            ? null
                            : new XElement(
                                "failure",
                                new XAttribute("message", r.Problem ?? "assertions failed"),
                                string.Join(
                                    "\n",
                                    r.Assertions.Where(a => !a.Result.Pass)
                                        .Select(a => $"{a.Assertion.Type} [{a.Agent}]: {a.Result.Reason}")
                                )
                            )
                    ))
                )
            )
        );

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}
