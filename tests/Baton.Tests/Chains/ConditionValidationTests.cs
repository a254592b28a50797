namespace Baton.Tests.Chains;

public class ConditionValidationTests
{
    [Fact]
    public void MisusedWhen_EachExplained()
    {
        var errors = ChainYaml.Errors(
            """
            name: t
            agents:
              a: { run: "true" }
              b: { run: "true", when: { field: data.x, equals: y } }
              c: { run: "true", on: [a.done], when: { field: status, equals: y } }
              d: { run: "true", on: [a.done], when: { field: data.x, equals: y, contains: z } }
              e: { run: "true", on: [a.done], when: { field: data.x, matches: "(" } }
              f: { run: "true", on: [a.done], when: { field: data.x, equals: y, event: a.failed } }
              g: { run: "true", on: [a.failed], when: otherwise }
              h: { run: "true", on: [a.done], when: always }
            """
        );

        ChainYaml.Single(
            errors,
            "'when' of agent 'b' tests the event that starts it, but the agent has no 'on:' events"
        );
        ChainYaml.Single(errors, "'field' of 'when' of agent 'c' is 'name' (the event's name) or 'data.<key>'");
        ChainYaml.Single(errors, "'when' of agent 'd' needs exactly one of 'equals', 'contains' or 'matches'");
        ChainYaml.Single(errors, "'matches' of 'when' of agent 'e' is not a valid regular expression");
        ChainYaml.Single(errors, "'event' of 'when' of agent 'f' must be one of its 'on:' events, not 'a.failed'");
        ChainYaml.Single(errors, "'when: otherwise' of agent 'g': no other agent has a 'when:' on its events");
        ChainYaml.AssertAt(ChainYaml.Single(errors, "'when' of agent 'h' is 'otherwise' or a mapping"), 10, 41);
        Assert.Equal(7, errors.Count);
    }

    [Fact]
    public void StopAgent_LoadsWithItsReason()
    {
        var chain = ChainYaml.Load(
            """
            name: t
            agents:
              a: { run: "true" }
              halt: { on: [a.done], when: { field: name, contains: done }, stop: enough }
            """
        );

        Assert.Equal(Baton.Chains.AgentKind.Stop, chain.Agent("halt")!.Kind);
        Assert.Equal("enough", chain.Agent("halt")!.Stop);
        Assert.Equal("name contains 'done'", chain.Agent("halt")!.When!.ToString());
    }
}
