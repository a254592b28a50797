using Baton.Chains;

namespace Baton.Tests.Chains;

/// <summary>
/// WaitGraph.AnyReadyWithout answers most questions from the derivation Ready's propagation found, without a pass over
/// the graph per agent (W7's 2,000-agent chain). Checked against the plain definition — the least fixpoint of "all
/// needs and one `on` source", with the agent left out — on random graphs with loops, events and run.started.
/// </summary>
public class WaitGraphTests
{
    [Fact]
    public void AnyReadyWithout_AgreesWithTheDefinition_OnRandomGraphs()
    {
        var random = new Random(20261206);
        var answers = new int[2];
        for (var round = 0; round < 400; round++)
        {
            var shape = Shape.Random(random);
            var graph = shape.Build();
            for (var without = 0; without < shape.Agents; without++)
            {
                var expected = shape.ReadyWithout(without);
                for (var ask = 0; ask < 4; ask++)
                {
                    var nodes = Enumerable
                        .Range(0, random.Next(1, 4))
                        .Select(_ => random.Next(shape.Nodes))
                        .Distinct()
                        .ToArray();
                    var answer = graph.AnyReadyWithout(without, nodes);
                    Assert.Equal(nodes.Any(n => expected[n]), answer);
                    answers[answer ? 1 : 0]++;
                }
            }
        }
        Assert.All(answers, count => Assert.True(count > 500)); // both answers asked often
    }

    private sealed record Shape(int Agents, List<int>[] Needs, List<int[]>[] On, List<int>[] Emitters)
    {
        public int Nodes => Agents + Emitters.Length;

        public static Shape Random(Random random)
        {
            var agents = random.Next(2, 10);
            var events = random.Next(0, 3);
            var needs = new List<int>[agents];
            var on = new List<int[]>[agents];
            for (var a = 0; a < agents; a++)
            {
                needs[a] =
                [
                    .. Enumerable.Range(0, random.Next(0, 3)).Select(_ => random.Next(agents)).Where(n => n != a),
                ];
                on[a] =
                [
                    .. Enumerable
                        .Range(0, random.Next(0, 3))
                        .Select(_ =>
                            random.Next(5) == 0
                                ? Array.Empty<int>() // run.started
                                : Enumerable
                                    .Range(0, random.Next(1, 3))
                                    .Select(_ => random.Next(agents + events))
                                    .ToArray()
                        ),
                ];
            }
            var emitters = Enumerable
                .Range(0, events)
                .Select(_ =>
                    Enumerable.Range(0, random.Next(1, 3)).Select(_ => random.Next(agents)).Distinct().ToList()
                )
                .ToArray();
            return new Shape(agents, needs, on, emitters);
        }

        public WaitGraph Build()
        {
            var graph = new WaitGraph(Agents);
            foreach (var emitters in Emitters)
                graph.AddEvent(emitters);
            for (var a = 0; a < Agents; a++)
            {
                foreach (var need in Needs[a])
                    graph.AddNeed(a, need);
                if (On[a].Count > 0)
                    graph.RequireAnyOf(a);
                foreach (var source in On[a])
                    graph.AddOnSource(a, source);
            }
            return graph;
        }

        /// <summary>The definition: iterated to its least fixpoint, `without` never ready.</summary>
        public bool[] ReadyWithout(int without)
        {
            var ready = new bool[Nodes];
            for (var changed = true; changed; )
            {
                changed = false;
                for (var node = 0; node < Nodes; node++)
                {
                    var now =
                        node < Agents
                            ? node != without
                                && Needs[node].All(n => ready[n])
                                && (On[node].Count == 0 || On[node].Any(s => s.Length == 0 || s.Any(n => ready[n])))
                            : Emitters[node - Agents].Any(e => ready[e]);
                    if (now && !ready[node])
                        (ready[node], changed) = (true, true);
                }
            }
            return ready;
        }
    }
}
