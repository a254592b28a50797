using System.Net;
using System.Net.Http.Headers;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Adversarial;

/// <summary>Issue 11 item 7: /metrics counts every workspace, so a tenant's token (even an owner's) does not open it.</summary>
public class MetricsAccessTests
{
    [Fact]
    public async Task Metrics_RefuseAWorkspaceToken_AndServeTheOperatorsToken()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));

        var tenant = await owner.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Forbidden, tenant.StatusCode);
        var refusal = await tenant.Content.ReadAsStringAsync();
        Assert.Contains("metrics.token", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(server.DataPath, refusal, StringComparison.Ordinal); // no server path reaches a tenant
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client().GetAsync("/metrics")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await owner.GetAsync("/api/metrics")).StatusCode);

        var file = Path.Combine(server.DataPath, "server", "metrics.token");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        using var operatorClient = server.Client();
        operatorClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer",
            File.ReadAllText(file).Trim()
        );
        var metrics = await operatorClient.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("baton_runs_started_total", text, StringComparison.Ordinal);
    }
}
