using Baton.Chains;

namespace Baton.Tests.Chains;

public class TriggerValidationTests
{
    [Fact]
    public void EveryKind_ParsesIntoItsTrigger()
    {
        var chain = ChainYaml.Load(
            """
            name: t
            inputs:
              repo: none
              path: none
            triggers:
              - schedule: "*/2 * * * * *"
                timezone: Europe/Berlin
                catch_up: none
              - webhook: GITHUB_WEBHOOK
                inputs:
                  repo: "{{ body.repository.full_name }}"
              - file: "invoices/*.pdf"
                inputs: { path: "{{ file.path }}" }
              - after: build
                status: any
                inputs: { repo: "{{ after.outputs.pack }} of {{ after.run_id }}" }
            agents:
              a: { run: "true" }
            """
        );

        Assert.Collection(
            chain.Triggers,
            t =>
            {
                var schedule = Assert.IsType<ScheduleTrigger>(t);
                Assert.Equal(
                    ("*/2 * * * * *", "Europe/Berlin", CatchUp.None),
                    (schedule.Cron, schedule.TimeZone, schedule.CatchUp)
                );
                Assert.Equal(new SourceLocation(6, 5), schedule.Location);
            },
            t =>
            {
                var hook = Assert.IsType<WebhookTrigger>(t);
                Assert.Equal("GITHUB_WEBHOOK", hook.Secret);
                Assert.Equal("{{ body.repository.full_name }}", hook.Inputs["repo"]);
            },
            t => Assert.Equal("invoices/*.pdf", Assert.IsType<FileTrigger>(t).Glob),
            t => Assert.Equal(("build", AfterStatus.Any), (((AfterTrigger)t).Chain, ((AfterTrigger)t).Status))
        );
    }

    [Fact]
    public void ScheduleDefaults_UtcAndCatchUpLast()
    {
        var schedule = (ScheduleTrigger)
            ChainYaml
                .Load(
                    """
                    name: t
                    triggers:
                      - schedule: "0 9 * * 1-5"
                    agents:
                      a: { run: "true" }
                    """
                )
                .Triggers[0];

        Assert.Equal(("UTC", CatchUp.Last), (schedule.TimeZone, schedule.CatchUp));
        Assert.Equal(
            new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero), // Saturday the 5th -> Monday the 7th
            schedule.Next(new DateTimeOffset(2026, 12, 5, 15, 0, 0, TimeSpan.Zero))
        );
    }

    [Fact]
    public void BadTriggers_EachReportedWhereItIsWithWhatToWrite()
    {
        var errors = ChainYaml.Errors(
            """
            name: t
            inputs:
              topic:
            triggers:
              - schedule: "0 9 * *"
                inputs: { topic: x }
              - schedule: "61 * * * *"
                timezone: Europe/Berlinn
                catch_up: al
                inputs: { topic: x }
              - webhook: github
                status: failed
                inputs: { topic: "{{ file.path }}", topik: x }
              - file: ../etc/*
                inputs: { topic: x }
              - after: t
                inputs: { topic: x }
              - schedule: "* * * * *"
                webhook: HOOK
              - shedule: "* * * * *"
              - after: other
            agents:
              a: { run: "true" }
            """
        );

        ChainYaml.AssertAt(ChainYaml.Single(errors, "a schedule has 5 fields"), 5, 15);
        ChainYaml.AssertAt(ChainYaml.Single(errors, "'schedule' \"61 * * * *\""), 7, 15);
        ChainYaml.AssertAt(
            ChainYaml.Single(
                errors,
                "unknown time zone 'Europe/Berlinn' in the schedule trigger; use an IANA name such as Europe/Berlin or UTC; did you mean 'Europe/Berlin'?"
            ),
            8,
            15
        );
        ChainYaml.AssertAt(
            ChainYaml.Single(errors, "'catch_up' of the schedule trigger must be none or last, not 'al'"),
            9,
            15
        );
        ChainYaml.AssertAt(
            ChainYaml.Single(errors, "'webhook' of the webhook trigger must be the name of the workspace secret"),
            11,
            14
        );
        ChainYaml.AssertAt(ChainYaml.Single(errors, "'status' belongs to an after trigger"), 12, 5);
        ChainYaml.AssertAt(
            ChainYaml.Single(
                errors,
                "'{{ file.path }}' is not known to a webhook trigger; use {{ body.path.to.field }}"
            ),
            13,
            22
        );
        ChainYaml.AssertAt(ChainYaml.Single(errors, "sets unknown input 'topik'; did you mean 'topic'?"), 13, 41);
        ChainYaml.AssertAt(
            ChainYaml.Single(errors, "'file' of the file trigger has an empty, '.' or '..' part"),
            14,
            11
        );
        ChainYaml.AssertAt(ChainYaml.Single(errors, "a chain cannot start after itself"), 16, 12);
        ChainYaml.AssertAt(ChainYaml.Single(errors, "write each as its own '- webhook:' entry"), 19, 5);
        ChainYaml.AssertAt(
            ChainYaml.Single(
                errors,
                "a trigger needs one of 'schedule', 'webhook', 'file' or 'after'; did you mean 'schedule'?"
            ),
            20,
            5
        );
        ChainYaml.AssertAt(
            ChainYaml.Single(errors, "the after trigger starts runs without input 'topic', which has no default"),
            21,
            5
        );
    }

    [Fact]
    public void TriggersNotAList_SaysHowEntriesStart()
    {
        var error = Assert.Single(
            ChainYaml.Errors(
                """
                name: t
                triggers:
                  schedule: "* * * * *"
                agents:
                  a: { run: "true" }
                """
            )
        );

        Assert.Contains("'triggers' must be a list (each entry starts with '- schedule:'", error.Message);
        ChainYaml.AssertAt(error, 3, 3);
    }
}
