using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Montu.Server.Tests.Infrastructure;

/// <summary>
/// Paths as a client really sends them, over a socket to Kestrel: HttpClient would normalise
/// dot segments before they left the test.
/// </summary>
public sealed class RawPathTests(RawPathTests.KestrelApp app) : IClassFixture<RawPathTests.KestrelApp>
{
    public sealed class KestrelApp : TestApp
    {
        public KestrelApp() => UseKestrel(0);

        public Uri Address => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    [Theory]
    [InlineData("/api/v1/projects/%2e%2e/users/{user}")]
    [InlineData("/api/v1/projects/%2E%2E/users/{user}")]
    [InlineData("/api/v1/projects/../users/{user}")]
    [InlineData("/api/v1/projects/.%2e/users/{user}")]
    [InlineData("/api/v1/./users/{user}")]
    [InlineData("/api/v1/users%2f{user}")]
    [InlineData("/api/v1/users%5C{user}")]
    public async Task Dot_segments_and_encoded_slashes_are_400_and_change_nothing(string path)
    {
        var user = await app.CreateUser();

        var (status, body) = await SendRawAsync("DELETE", path.Replace("{user}", user.Id), app.Client.DefaultRequestHeaders.Authorization!.ToString());

        Assert.Equal(400, status);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.Str("code"));
        Assert.Contains("'..' segments or encoded slashes", error.Str("message"));
        Assert.False((await (await app.Client.GetAsync($"/api/v1/users/{user.Id}")).Expect(HttpStatusCode.OK)).GetProperty("disabled").GetBoolean());
    }

    [Fact]
    public async Task A_plain_path_with_dots_inside_names_is_served()
    {
        var (status, _) = await SendRawAsync("GET", "/api/v1/tasks/sh010.v2..final", app.Client.DefaultRequestHeaders.Authorization!.ToString());

        Assert.Equal(404, status);
    }

    /// <summary>HTTP/1.0, so the body comes back whole rather than chunked.</summary>
    private async Task<(int Status, string Body)> SendRawAsync(string method, string target, string authorization)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(app.Address.Host, app.Address.Port);
        var stream = socket.GetStream();
        var request = $"{method} {target} HTTP/1.0\r\nHost: {app.Address.Authority}\r\nAuthorization: {authorization}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var response = await new StreamReader(stream, Encoding.UTF8).ReadToEndAsync();
        var status = int.Parse(response.Split(' ')[1]);
        var body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        return (status, body);
    }
}
