using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Monitoring;

public sealed class HealthTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [Theory]
    [InlineData("/health")]
    [InlineData("/api/v1/health")]
    public async Task Health_reports_a_connected_database_with_the_v2_fields(string url)
    {
        var body = await (await _client.GetAsync(url)).Expect(HttpStatusCode.OK);

        Assert.Equal("healthy", body.Str("status"));
        Assert.EndsWith("Z", body.Str("timestamp"));
        var database = body.GetProperty("database");
        Assert.Equal("connected", database.Str("status"));
        Assert.Equal(TestApp.OnPostgres ? "postgresql" : "sqlite", database.Str("type"));
        Assert.Equal(JsonValueKind.Number, database.GetProperty("responseTimeMs").ValueKind);
        Assert.True(database.GetProperty("responseTimeMs").GetDouble() >= 0);
        // The PostgreSQL listener connects in the background right after start-up.
        Assert.Contains(database.Str("eventListener"), (string[])(TestApp.OnPostgres ? ["listening", "reconnecting"] : ["local"]));
        Assert.Equal("0.1.0", body.Str("version"));
        Assert.True(body.GetProperty("uptimeSeconds").GetInt64() >= 0);
    }

    [Fact]
    public async Task Health_in_the_legacy_shape_uses_snake_case()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("Montu-Version", "2.0");

        var body = await (await _client.SendAsync(request)).Expect(HttpStatusCode.OK);

        Assert.True(body.GetProperty("database").TryGetProperty("response_time_ms", out _));
        Assert.True(body.TryGetProperty("uptime_seconds", out _));
    }
}
