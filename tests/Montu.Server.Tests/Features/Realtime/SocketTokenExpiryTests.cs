using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Montu.Server.Tests.Features.Realtime;

/// <summary>A socket lives as long as its token, on the test clock: an expired one closes it, a renewed one keeps it open.</summary>
public sealed class SocketTokenExpiryTests(SocketTokenExpiryTests.ClockApp app) : IClassFixture<SocketTokenExpiryTests.ClockApp>
{
    [Fact]
    public async Task A_socket_whose_token_expires_is_closed_with_4401()
    {
        var project = await app.Client.CreateProject();
        var artist = await app.CreateUser(project, "artist");
        await using var socket = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}", artist.Tokens.AccessToken);
        await socket.ReceiveAsync("ready");

        app.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        Assert.Equal(4401, await socket.ClosedAsync());
    }

    [Fact]
    public async Task An_auth_message_before_expiry_keeps_the_socket_open_until_the_new_token_expires()
    {
        var project = await app.Client.CreateProject();
        var artist = await app.CreateUser(project, "artist");
        await using var socket = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}", artist.Tokens.AccessToken);
        await socket.ReceiveAsync("ready");

        app.Clock.Advance(TimeSpan.FromMinutes(30));
        var renewed = Tokens.From(await (await app.Anonymous().Refresh(artist.Tokens.RefreshToken)).Expect(HttpStatusCode.OK));
        await socket.SendAsync(new { type = "auth", token = renewed.AccessToken });
        Assert.Equal("authenticated", (await socket.ReceiveAsync()).Str("type"));

        app.Clock.Advance(TimeSpan.FromMinutes(40));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await socket.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await socket.ReceiveAsync()).Str("type"));

        app.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(4401, await socket.ClosedAsync());
    }

    public sealed class ClockApp : TestApp
    {
        public ManualClock Clock { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }
}
