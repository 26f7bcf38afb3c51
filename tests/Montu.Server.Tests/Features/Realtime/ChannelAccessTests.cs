using System.Net;
using System.Net.WebSockets;
using Dapper;

namespace Montu.Server.Tests.Features.Realtime;

public sealed class ChannelAccessTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task An_upgrade_without_a_token_is_401_before_any_upgrade()
    {
        var project = await _client.CreateProject();
        await (await app.Anonymous().GetAsync($"/ws/tasks/{project}")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task A_project_the_caller_cannot_read_is_404_and_a_plain_get_is_400()
    {
        var project = await _client.CreateProject();
        var other = await _client.CreateProject();
        var artist = await app.CreateUser(project, "artist");
        await (await artist.Client.GetAsync($"/ws/tasks/{other}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await _client.GetAsync($"/ws/notifications/{artist.Id}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var plain = await (await artist.Client.GetAsync($"/ws/tasks/{project}")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("WebSocket", plain.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_foreign_origin_is_refused_and_the_servers_own_origin_is_accepted()
    {
        var project = await _client.CreateProject();
        var artist = await app.CreateUser(project, "artist");
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => TestSocket.ConnectAsync(app, $"/ws/tasks/{project}", artist.Tokens.AccessToken,
            request => request.Headers.Origin = "https://evil.example"));
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);

        await using var own = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}", artist.Tokens.AccessToken,
            request => request.Headers.Origin = $"http://{app.Server.BaseAddress.Authority}");
        Assert.Equal("ready", (await own.ReceiveAsync()).Str("type"));
    }

    [Fact]
    public async Task A_browser_upgrade_that_accepts_compression_and_messagepack_still_gets_json_text_messages()
    {
        var project = await _client.CreateProject();
        await using var socket = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}", _client.DefaultRequestHeaders.Authorization!.Parameter!,
            request =>
            {
                request.Headers.AcceptEncoding = "gzip, deflate, br";
                request.Headers.Accept = "application/x-msgpack, */*";
            });
        Assert.Equal("ready", (await socket.ReceiveAsync()).Str("type"));
        await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_enc"));
        Assert.Equal("task_created", (await socket.ReceiveAsync()).Str("type"));
    }

    [Fact]
    public async Task The_bearer_subprotocol_carries_the_token_and_is_answered()
    {
        var project = await _client.CreateProject();
        var artist = await app.CreateUser(project, "artist");
        var client = app.Server.CreateWebSocketClient();
        client.SubProtocols.Add("bearer");
        client.SubProtocols.Add(artist.Tokens.AccessToken);
        using var socket = await client.ConnectAsync(new Uri($"ws://{app.Server.BaseAddress.Authority}/ws/projects/{project}"), CancellationToken.None);
        Assert.Equal("bearer", socket.SubProtocol);
        await using var test = new TestSocket(socket);
        Assert.Equal("ready", (await test.ReceiveAsync()).Str("type"));
    }

    [Fact]
    public async Task Removing_the_member_closes_their_socket_with_4403()
    {
        var project = await _client.CreateProject();
        var artist = await app.CreateUser(project, "artist");
        await using var socket = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}", artist.Tokens.AccessToken);
        await socket.ReceiveAsync("ready");

        await (await _client.DeleteAsync($"/api/v1/projects/{project}/users/{artist.Id}")).Expect(HttpStatusCode.NoContent);

        Assert.Equal(4403, await socket.ClosedAsync());
    }

    [Fact]
    public async Task Disabling_the_user_closes_their_socket_with_4401()
    {
        var project = await _client.CreateProject();
        var artist = await app.CreateUser(project, "artist");
        await using var socket = await TestSocket.ConnectAsync(app, $"/ws/projects/{project}", artist.Tokens.AccessToken);
        await socket.ReceiveAsync("ready");

        await (await _client.PatchJson($"/api/v1/users/{artist.Id}", new { disabled = true })).Expect(HttpStatusCode.OK);

        Assert.Equal(4401, await socket.ClosedAsync());
    }

    [Fact]
    public async Task Signing_out_closes_the_sessions_socket_with_4401()
    {
        var project = await _client.CreateProject();
        var artist = await app.CreateUser(project, "artist");
        await using var socket = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}", artist.Tokens.AccessToken);
        await socket.ReceiveAsync("ready");

        await (await artist.Client.PostAsync("/api/v1/auth/logout", null)).Expect(HttpStatusCode.NoContent);

        Assert.Equal(4401, await socket.ClosedAsync());
    }

    [Fact]
    public async Task Ping_gets_pong_with_the_latest_seq_and_other_messages_get_an_error()
    {
        var project = await _client.CreateProject();
        var artist = await app.CreateUser(project, "artist");
        await using var socket = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}", artist.Tokens.AccessToken);
        var ready = await socket.ReceiveAsync("ready");

        await socket.SendAsync(new { type = "ping" });
        var pong = await socket.ReceiveAsync();
        Assert.Equal("pong", pong.Str("type"));
        Assert.True(pong.GetProperty("seq").GetInt64() >= ready.GetProperty("seq").GetInt64());

        await socket.SendTextAsync("{not json");
        var error = await socket.ReceiveAsync();
        Assert.Equal("error", error.Str("type"));
        Assert.Equal("VALIDATION_ERROR", error.Str("code"));
        Assert.Contains("ping", error.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_message_over_64_KiB_closes_the_socket_with_1009()
    {
        var project = await _client.CreateProject();
        await using var socket = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}", _client.DefaultRequestHeaders.Authorization!.Parameter!);
        await socket.ReceiveAsync("ready");
        await socket.SendTextAsync($"{{\"type\": \"ping\", \"pad\": \"{new string('x', 70_000)}\"}}");
        Assert.Equal((int)WebSocketCloseStatus.MessageTooBig, await socket.ClosedAsync());
    }

    [Fact]
    public async Task An_auth_message_renews_the_token_and_a_bad_one_is_an_error()
    {
        var project = await _client.CreateProject();
        var artist = await app.CreateUser(project, "artist");
        await using var socket = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}", artist.Tokens.AccessToken);
        await socket.ReceiveAsync("ready");

        var renewed = Tokens.From(await (await app.Anonymous().Refresh(artist.Tokens.RefreshToken)).Expect(HttpStatusCode.OK));
        await socket.SendAsync(new { type = "auth", token = renewed.AccessToken });
        var authenticated = await socket.ReceiveAsync();
        Assert.Equal("authenticated", authenticated.Str("type"));
        Assert.True(authenticated.GetProperty("data").GetProperty("expiresAt").TryGetDateTime(out _));

        await socket.SendAsync(new { type = "auth", token = "not-a-token" });
        var error = await socket.ReceiveAsync();
        Assert.Equal("UNAUTHORIZED", error.Str("code"));
    }

    [Fact]
    public async Task A_since_older_than_the_kept_log_or_past_its_head_gets_resync_required_and_4409()
    {
        var project = await _client.CreateProject();
        await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_old"));
        var token = _client.DefaultRequestHeaders.Authorization!.Parameter!;

        await using (var future = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}?since=999999999", token))
        {
            var resync = await future.ReceiveAsync();
            Assert.Equal("resync_required", resync.Str("type"));
            Assert.Equal(4409, await future.ClosedAsync());
        }

        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        var latest = await connection.ExecuteScalarAsync<long>("SELECT MAX(seq) FROM events");
        await connection.ExecuteAsync("UPDATE event_retention SET pruned_through = @latest", new { latest });
        try
        {
            await using var stale = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}?since=1", token);
            var resync = await stale.ReceiveAsync();
            Assert.Equal("resync_required", resync.Str("type"));
            Assert.Equal(latest + 1, resync.GetProperty("data").GetProperty("oldestSeq").GetInt64());
            Assert.Equal(4409, await stale.ClosedAsync());
        }
        finally
        {
            await connection.ExecuteAsync("UPDATE event_retention SET pruned_through = 0");
        }
    }
}
