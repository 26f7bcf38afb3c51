using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Infrastructure;

namespace Montu.Server.Tests.Features.Monitoring;

/// <summary>Breaks its own server's database, so it has a <see cref="TestApp"/> of its own.</summary>
public sealed class DatabaseDownTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Health_answers_503_with_the_health_body_when_the_database_is_down()
    {
        await (await app.Client.GetAsync("/health")).Expect(HttpStatusCode.OK);
        await app.TakeDatabaseDownAsync();

        var body = await (await app.Client.GetAsync("/health")).Expect(HttpStatusCode.ServiceUnavailable);

        Assert.Equal("unhealthy", body.Str("status"));
        Assert.Equal("disconnected", body.GetProperty("database").Str("status"));
        Assert.Equal(TestApp.OnPostgres ? "postgresql" : "sqlite", body.GetProperty("database").Str("type"));
        Assert.False(body.TryGetProperty("error", out _));
        Assert.Equal("0.1.0", body.Str("version"));

        // A query that needs the database now fails as a server error, and the request figures count it.
        await (await app.Client.GetAsync("/api/v1/stats")).ExpectError(HttpStatusCode.InternalServerError, "INTERNAL_ERROR");
        Assert.True(app.Services.GetRequiredService<RequestMetrics>().Snapshot().ErrorRatePercent > 0);

        // Writes fail the same way, each answered rather than left waiting in the write queue.
        var writes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => app.Client.PostJson("/api/v1/projects", Builders.Project(Builders.NewProjectId()))));
        foreach (var write in writes)
        {
            await write.ExpectError(HttpStatusCode.InternalServerError, "INTERNAL_ERROR");
        }
    }
}
