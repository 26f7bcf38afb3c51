using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Observability;

public sealed class RequestLogTests(MetricsTests.MetricsApp app) : IClassFixture<MetricsTests.MetricsApp>
{
    private static string NewRequestId() => "req-log-" + Guid.NewGuid().ToString("N");

    private static HttpRequestMessage Get(string url, string requestId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Request-Id", requestId);
        return request;
    }

    private string LineOf(string requestId) =>
        Assert.Single(app.Logs.Lines, l => l.Category == "Montu.Requests" && l.Text.Contains(requestId, StringComparison.Ordinal)).Text;

    [Fact]
    public async Task Each_request_is_one_line_with_its_id_user_method_route_status_and_duration()
    {
        var project = await app.Client.CreateProject();
        var task = (await app.Client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_log"))).Str("id");
        var me = (await (await app.Client.GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK)).Str("userId");

        var found = NewRequestId();
        await (await app.Client.SendAsync(Get($"/api/v1/tasks/{task}", found))).Expect(HttpStatusCode.OK);
        var missing = NewRequestId();
        await (await app.Anonymous().SendAsync(Get($"/api/v1/tasks/{task}", missing))).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        Assert.Matches(
            $@"^GET /api/v1/tasks/\{{taskId\}} \(/api/v1/tasks/{task}\) answered 200 in \d+(\.\d+)? ms; request {found}, user {me}$", LineOf(found));
        Assert.Matches($@"^GET /api/v1/tasks/\{{taskId\}} \(/api/v1/tasks/{task}\) answered 401 in \d+(\.\d+)? ms; request {missing}, user $", LineOf(missing));
    }

    [Fact]
    public async Task No_password_token_refresh_token_signature_or_share_token_reaches_any_log_line()
    {
        var (project, _, media) = await app.Client.ShowWithVersions(1);
        var user = await app.CreateUser(project, "viewer");
        var session = await app.Anonymous().Login(user.Email, user.Password);
        var rotated = Tokens.From(await (await app.Anonymous().Refresh(session.RefreshToken)).Expect(HttpStatusCode.OK));

        var link = (await (await app.Client.PostJson($"/api/v1/media/{media[0]}/links", new { })).Expect(HttpStatusCode.OK)).Str("url");
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync(link)).StatusCode);
        var signature = link[(link.IndexOf("signature=", StringComparison.Ordinal) + "signature=".Length)..];

        await app.Client.UntilProcessedAsync(media[0]);
        var playlist = (await app.Client.CreatePlaylist(project)).Str("id");
        var share = (await (await app.Client.PostJson($"{PlaylistBuilders.Url}/{playlist}/share", new { })).Expect(HttpStatusCode.Created)).Str("token");
        var shared = NewRequestId();
        await (await app.Anonymous().SendAsync(Get($"{PlaylistBuilders.Url}/{playlist}?share={share}", shared))).Expect(HttpStatusCode.OK);

        await using (var socket = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}", rotated.AccessToken))
        {
            Assert.Equal("ready", (await socket.ReceiveAsync()).Str("type"));
        }

        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", MetricsTests.Token) } };
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().SendAsync(scrape)).StatusCode);

        Assert.Contains($"?share=[redacted]", LineOf(shared));
        Assert.Contains(app.Logs.Lines, l => l.Text.Contains($"/api/v1/media/{media[0]}/download?expires=", StringComparison.Ordinal) && l.Text.Contains("signature=[redacted]", StringComparison.Ordinal));
        Assert.Contains(app.Logs.Lines, l => l.Text.Contains($"/ws/tasks/{project}?token=[redacted]", StringComparison.Ordinal));
        string[] secrets = [user.Password, session.AccessToken, session.RefreshToken, rotated.AccessToken, rotated.RefreshToken, signature, share, MetricsTests.Token];
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(app.Logs.Lines, l => l.Text.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task With_log_format_json_the_line_is_json_with_the_same_fields_and_loopback_scrapes_without_a_token()
    {
        var directory = Directory.CreateTempSubdirectory("montu-json-log-").FullName;
        try
        {
            await using var server = await ServerProcess.StartAsync(directory, new Dictionary<string, string> { ["LOG_FORMAT"] = "json" });
            using var client = new HttpClient { BaseAddress = server.Address };
            var id = NewRequestId();
            await (await client.SendAsync(Get("/health", id))).Expect(HttpStatusCode.OK);
            using var metrics = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);

            string? line = null;
            for (var i = 0; i < 100 && line is null; i++)
            {
                line = server.Log.Split('\n').FirstOrDefault(l => l.Contains(id, StringComparison.Ordinal) && l.Contains("Montu.Requests", StringComparison.Ordinal));
                await Task.Delay(50);
            }

            Assert.NotNull(line);
            var state = JsonDocument.Parse(line).RootElement.GetProperty("State");
            Assert.Equal((id, "GET", "/health", "/health", 200), (state.Str("RequestId"), state.Str("Method"), state.Str("Route"), state.Str("Path"), state.GetProperty("Status").GetInt32()));
            Assert.True(state.GetProperty("DurationMs").GetDouble() >= 0);
            Assert.Equal(JsonValueKind.Null, state.GetProperty("UserId").ValueKind);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
