using System.Text;

namespace Baton.Bench;

/// <summary>The chain YAML each workload runs.</summary>
public static class BenchChains
{
    public static string Sequential(string name, int agents, Func<int, string> body)
    {
        var sb = new StringBuilder($"name: {name}\nagents:\n");
        for (var i = 0; i < agents; i++)
            sb.Append($"  a{i:D4}:\n    {body(i)}\n");
        return sb.ToString();
    }

    public const string PrepLlmFinish = """
        name: bench-w2
        agents:
          prep:
            prompt: prepare
          llm:
            prompt: think for a second
          finish:
            prompt: wrap up
        """;
}
