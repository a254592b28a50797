using System.Reflection;
using Baton.Events;
using Baton.Runs;

namespace Baton.Tests.Engine;

/// <summary>Issue 13: run state is changed by the fold only — never created by a read, never set from outside.</summary>
public class RunStateTests
{
    [Fact]
    public void ReadingAnAgentWithNoEvent_IsPending_AddsNothing_AndIsNotChangedByItsLaterEvents()
    {
        var state = RunState.Fold([]);

        var agent = state.Agent("nobody");

        Assert.Equal(AgentStatus.Pending, agent.Status);
        Assert.Empty(state.Agents);
        state.Apply(
            new RunEvent(
                1,
                EventTypes.For("nobody", EventTypes.Started),
                "nobody",
                1,
                DateTimeOffset.UnixEpoch,
                EventCodec.Encode(new AgentStarted())
            )
        );
        Assert.Equal(AgentStatus.Running, state.Agent("nobody").Status);
        Assert.Equal(AgentStatus.Pending, agent.Status); // what a read handed out is not the agent's own state
        Assert.Single(state.Agents);
    }

    [Fact]
    public void AgentStateAndRunState_HaveNoSetterOutsideTheFold()
    {
        foreach (var type in new[] { typeof(AgentState), typeof(RunState) })
        foreach (
            var property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        )
            Assert.True(
                property.SetMethod is null || property.SetMethod.IsPrivate || IsInitOnly(property.SetMethod),
                $"{type.Name}.{property.Name} can be set from outside the fold"
            );
        Assert.False(
            typeof(IList<CheckVerdict>).IsAssignableFrom(typeof(AgentState).GetProperty("Checks")!.PropertyType)
        );
    }

    private static bool IsInitOnly(MethodInfo setter) =>
        setter
            .ReturnParameter.GetRequiredCustomModifiers()
            .Contains(typeof(System.Runtime.CompilerServices.IsExternalInit));
}
