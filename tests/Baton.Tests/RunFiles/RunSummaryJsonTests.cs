using System.Text.Json;
using Baton.Prompts;
using Baton.Runs;

namespace Baton.Tests.RunFiles;

/// <summary>
/// The run summary (`baton run --json`, `baton show --json`, `baton runs --json`, GET …/runs/{id}) and versions.json
/// are written by hand (RunSummaryConverter, RunVersionsConverter: no serializer metadata compiled at start); these pin
/// their bytes to what the source-generated serializer wrote before, every optional field present and absent.
/// </summary>
public class RunSummaryJsonTests
{
    private static readonly DateTimeOffset Started = new(2026, 12, 5, 21, 41, 4, 126, TimeSpan.Zero);

    private static RunVersions Versions() =>
        new(
            new SourceVersion("d8b7", "chains/one.yaml", new GitState("abc123", true)),
            new Dictionary<string, PromptVersion>(StringComparer.Ordinal)
            {
                ["write"] = new PromptVersion("0123456789ab", "p1", null, "chains/one.yaml", true, null),
                ["réviser \"b\""] = new PromptVersion(
                    "ba9876543210",
                    "p2",
                    "s2",
                    "prompts/r.md",
                    false,
                    new GitState("abc123", false)
                ),
            }
        );

    private static RunSummary Full() =>
        new RunSummary(
            "20261205-214104-one-76ec",
            "one",
            RunStatus.Failed,
            "agent 'b' failed: <exit 1> & more",
            Started,
            Started.AddTicks(262_125).ToOffset(TimeSpan.FromHours(2)),
            0.0125m,
            new Dictionary<string, AgentSummary>(StringComparer.Ordinal)
            {
                ["a"] = new AgentSummary(AgentStatus.Done, 1, 0.0100m, "agents/a/output", null, Started, Started),
                ["réviser \"b\""] = new AgentSummary(AgentStatus.Failed, 3, 0.0025m, null, "exit 1", null, null),
                ["c"] = new AgentSummary(AgentStatus.Pending, 0, 0m, null, null, null, null),
            }
        )
        {
            Stalled = "disk full: no space",
            QualityScore = 0.75,
            FailedChecks = 2,
            Versions = Versions(),
            Mark = "bad",
        };

    private static RunSummary Bare() =>
        new(
            "20261205-214104-one-76ec",
            null,
            RunStatus.Running,
            null,
            null,
            null,
            0m,
            new Dictionary<string, AgentSummary>()
        );

    private const string FullJson = """
        {
          "id": "20261205-214104-one-76ec",
          "chain": "one",
          "status": "failed",
          "reason": "agent \u0027b\u0027 failed: \u003Cexit 1\u003E \u0026 more",
          "started": "2026-12-05T21:41:04.126+00:00",
          "finished": "2026-12-05T23:41:04.1522125+02:00",
          "cost_usd": 0.0125,
          "agents": {
            "a": {
              "status": "done",
              "attempts": 1,
              "cost_usd": 0.0100,
              "output": "agents/a/output",
              "reason": null,
              "started": "2026-12-05T21:41:04.126+00:00",
              "finished": "2026-12-05T21:41:04.126+00:00"
            },
            "r\u00E9viser \u0022b\u0022": {
              "status": "failed",
              "attempts": 3,
              "cost_usd": 0.0025,
              "output": null,
              "reason": "exit 1",
              "started": null,
              "finished": null
            },
            "c": {
              "status": "pending",
              "attempts": 0,
              "cost_usd": 0,
              "output": null,
              "reason": null,
              "started": null,
              "finished": null
            }
          },
          "stalled": "disk full: no space",
          "quality_score": 0.75,
          "failed_checks": 2,
          "versions": {
            "chain": {
              "sha256": "d8b7",
              "source": "chains/one.yaml",
              "git": {
                "commit": "abc123",
                "modified": true
              }
            },
            "prompts": {
              "write": {
                "version": "0123456789ab",
                "prompt_sha256": "p1",
                "system_sha256": null,
                "source": "chains/one.yaml",
                "inline": true
              },
              "r\u00E9viser \u0022b\u0022": {
                "version": "ba9876543210",
                "prompt_sha256": "p2",
                "system_sha256": "s2",
                "source": "prompts/r.md",
                "inline": false,
                "git": {
                  "commit": "abc123",
                  "modified": false
                }
              }
            }
          },
          "mark": "bad"
        }
        """;

    private const string BareJson = """
        {
          "id": "20261205-214104-one-76ec",
          "chain": null,
          "status": "running",
          "reason": null,
          "started": null,
          "finished": null,
          "cost_usd": 0,
          "agents": {}
        }
        """;

    [Fact]
    public void Summary_EveryFieldPresent_WritesTheSameBytesAsBefore()
    {
        Assert.Equal(FullJson, Full().ToJson());
    }

    [Fact]
    public void Summary_OptionalFieldsAbsent_LeavesThemOut()
    {
        Assert.Equal(BareJson, Bare().ToJson());
    }

    [Fact]
    public void SummaryList_WritesEachSummaryAsAlone()
    {
        var list = JsonSerializer.Serialize(
            new List<RunSummary> { Bare(), Full() },
            RunSummaryJson.Default.ListRunSummary
        );

        Assert.Equal($"[\n{Indent(BareJson)},\n{Indent(FullJson)}\n]", list);
    }

    [Fact]
    public void Summary_ThroughTheServersOptions_IsTheSameObjectOnOneLine()
    {
        // The API answers a summary through ASP.NET's reflection-based serializer (web defaults, snake_case names).
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        };

        var line = JsonSerializer.Serialize(Full(), web);

        Assert.Equal(Compact(FullJson), line);
    }

    [Fact]
    public void Versions_WrittenAndLoaded_RoundTrip()
    {
        var folder = Directory.CreateTempSubdirectory("baton-versions-").FullName;
        try
        {
            var versions = Versions();
            File.WriteAllBytes(Path.Combine(folder, RunVersions.FileName), versions.ToJson());

            var back = RunVersions.Load(folder)!;

            Assert.Equal(versions.Chain, back.Chain);
            Assert.Equal(versions.Prompts.OrderBy(p => p.Key), back.Prompts.OrderBy(p => p.Key));
            Assert.Equal(
                """
                {
                  "chain": {
                    "sha256": "d8b7",
                    "source": "chains/one.yaml",
                    "git": {
                      "commit": "abc123",
                      "modified": true
                    }
                  },
                  "prompts": {
                    "write": {
                      "version": "0123456789ab",
                      "prompt_sha256": "p1",
                      "system_sha256": null,
                      "source": "chains/one.yaml",
                      "inline": true
                    },
                    "r\u00E9viser \u0022b\u0022": {
                      "version": "ba9876543210",
                      "prompt_sha256": "p2",
                      "system_sha256": "s2",
                      "source": "prompts/r.md",
                      "inline": false,
                      "git": {
                        "commit": "abc123",
                        "modified": false
                      }
                    }
                  }
                }
                """,
                System.Text.Encoding.UTF8.GetString(versions.ToJson())
            );
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Theory]
    [InlineData("""{"chain": {"sha256": "x", "source": "c.yaml"}}""")]
    [InlineData("""{"chain": {"sha256": "x", "source": "c.yaml", "extra": [1, {"a": 2}]}, "prompts": {}, "new": 1}""")]
    public void Versions_OlderOrNewerFiles_StillLoad(string json)
    {
        var folder = Directory.CreateTempSubdirectory("baton-versions-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, RunVersions.FileName), json);

            var back = RunVersions.Load(folder);

            Assert.Equal(new SourceVersion("x", "c.yaml", null), back?.Chain);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"chain": 3}""")]
    [InlineData("[]")]
    public void Versions_UnreadableFile_IsNull(string json)
    {
        var folder = Directory.CreateTempSubdirectory("baton-versions-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, RunVersions.FileName), json);

            Assert.Null(RunVersions.Load(folder));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    private static string Indent(string json) => "  " + json.Replace("\n", "\n  ", StringComparison.Ordinal);

    /// <summary>The same JSON without the whitespace between tokens (what an unindented writer gives).</summary>
    private static string Compact(string json)
    {
        var compact = new System.Text.StringBuilder();
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                compact.Append(c);
                if (c == '\\')
                    compact.Append(json[++i]);
                else if (c == '"')
                    inString = false;
            }
            else if (!char.IsWhiteSpace(c))
            {
                compact.Append(c);
                inString = c == '"';
            }
        }
        return compact.ToString();
    }
}
