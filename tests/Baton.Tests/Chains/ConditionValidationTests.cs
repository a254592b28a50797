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

public class QuorumValidationTests
{
    [Fact]
    public void MisusedQuorum_EachExplained()
    {
        var errors = ChainYaml.Errors(
            """
            name: t
            agents:
              a: { run: "true" }
              b: { run: "true", needs: { quorum: 3, of: [a, a.x] } }
              c: { run: "true", needs: { any_of: [a], quorum: 1 } }
              d: { run: "true", needs: { of: [a] } }
              e: { run: "true", needs: { any_of: [nobody.done] } }
              f: { run: "true", needs: { anyof: [a] } }
            """
        );

        ChainYaml.Single(errors, "'needs' of agent 'b': a quorum of 3 needs at least 3 entries in its list, it has 2");
        ChainYaml.Single(errors, "'needs' of agent 'c': 'any_of' is a quorum of 1");
        ChainYaml.Single(errors, "'needs' of agent 'd' has 'of' but no 'quorum: N'");
        ChainYaml.Single(errors, "agent 'e' waits on 'nobody.done' but nothing can emit 'nobody.done'");
        ChainYaml.Single(errors, "unknown key 'anyof' in 'needs' of agent 'f'; did you mean 'any_of'?");
    }

    [Fact]
    public void Quorum_Loads_BareAgentNamesAsDone()
    {
        var chain = ChainYaml.Load(
            """
            name: t
            agents:
              a: { run: "true" }
              b: { run: "true", needs: [] }
              c: { run: "true", needs: { quorum: 1, of: [a, b.ok], timeout: 5m } }
            """
        );

        var quorum = chain.Agent("c")!.Quorum!;
        Assert.Equal(["a.done", "b.ok"], quorum.Of);
        Assert.Equal(TimeSpan.FromMinutes(5), quorum.Timeout);
        Assert.Empty(chain.Agent("c")!.Needs);
    }
}

public class ChosenEventValidationTests
{
    [Fact]
    public void WaitingOnAnEventTheAgentDoesNotDeclare_IsErrorWithSuggestion()
    {
        var errors = ChainYaml.Errors(
            """
            name: t
            agents:
              reviewer: { run: "true", emits: [approved, changes] }
              publish: { run: "true", on: [reviewer.aproved, reviewer.done] }
              bad: { run: "true", emits: { events: [done, "a.b"], required: maybe } }
            """
        );

        ChainYaml.AssertAt(
            ChainYaml.Single(
                errors,
                "agent 'publish' waits on 'reviewer.aproved', but agent 'reviewer' emits only [approved, changes]; did you mean 'approved'?"
            ),
            4,
            32
        );
        ChainYaml.Single(errors, "'done' in 'emits' of agent 'bad' is written by the engine itself");
        ChainYaml.Single(errors, "invalid event name 'a.b' in 'emits' of agent 'bad'");
        ChainYaml.Single(errors, "'required' of 'emits' of agent 'bad' is true or false, not 'maybe'");
        Assert.Equal(4, errors.Count);
    }
}

public class RetryValidationTests
{
    [Fact]
    public void MisusedRetry_EachExplained()
    {
        var errors = ChainYaml.Errors(
            """
            name: t
            agents:
              a: { run: "true", retries: 2, retry: { max: 1 } }
              b: { run: "true", retry: { delay: 1s } }
              c: { run: "true", retry: { max: 2, delay: 10s, max_delay: 1s, multiplier: 0.5, backof: x } }
            """
        );

        ChainYaml.Single(errors, "agent 'a' has both 'retries' and 'retry'");
        ChainYaml.Single(errors, "'retry' of agent 'b' needs 'max'");
        ChainYaml.Single(errors, "'retry' of agent 'c': 'max_delay' is shorter than 'delay'");
        ChainYaml.Single(errors, "'multiplier' of 'retry' of agent 'c' must be a number from 1 to 10");
        ChainYaml.Single(errors, "unknown key 'backof' in 'retry' of agent 'c'");
        Assert.Equal(5, errors.Count);
    }
}
