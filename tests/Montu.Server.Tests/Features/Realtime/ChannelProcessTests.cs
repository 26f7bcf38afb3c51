using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using Dapper;
using Npgsql;

namespace Montu.Server.Tests.Features.Realtime;

/// <summary>
/// Channels of real server processes, with real <see cref="ClientWebSocket"/>s: what a shutdown
/// does to open sockets, and (on PostgreSQL) two instances on one database delivering each
/// other's events. A database of its own on PostgreSQL when <c>MONTU_TEST_POSTGRES</c> is set,
/// the SQLite file of the data directory otherwise.
/// </summary>
public sealed class ChannelProcessTests : IAsyncLifetime
{
    private static readonly string? PostgresServer = Environment.GetEnvironmentVariable("MONTU_TEST_POSTGRES");
    private readonly string _directory = Directory.CreateTempSubdirectory("montu-ws-").FullName;
    private readonly string? _database = PostgresServer is null ? null : "montu_test_" + Guid.NewGuid().ToString("N")[..12];
    private readonly Dictionary<string, string> _settings = [];

    public async Task InitializeAsync()
    {
        _settings["MONTU_DATA_DIR"] = Path.Combine(_directory, "data");
        _settings["MONTU_ADMIN_EMAIL"] = TestApp.AdminEmail;
        _settings["MONTU_ADMIN_PASSWORD"] = TestApp.AdminPassword;
        _settings["API_HOST"] = "127.0.0.1";
        if (_database is not null)
        {
            await using var admin = new NpgsqlConnection(PostgresServer);
            await admin.ExecuteAsync($"CREATE DATABASE {_database}");
            _settings["MONTU_DATABASE"] = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = _database }.ConnectionString;
        }
    }

    [Fact]
    public async Task Sigterm_closes_open_sockets_with_1001_and_the_server_exits_cleanly()
    {
        await using var server = await ServerProcess.StartAsync(_directory, _settings);
        var (client, token) = await SignedIn(server);
        var project = await client.CreateProject();
        await using var socket = await Connect(server, $"/ws/tasks/{project}", token);
        Assert.Equal("ready", (await socket.ReceiveAsync()).Str("type"));

        Assert.Equal(0, await server.TerminateAsync());

        Assert.Equal((int)WebSocketCloseStatus.EndpointUnavailable, await socket.ClosedAsync());
        Assert.Contains("shutting down", socket.Socket.CloseStatusDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_socket_that_stops_reading_never_delays_the_others_and_is_told_to_resync_once_it_reads_again()
    {
        _settings["Realtime__QueueLength"] = "5";
        await using var server = await ServerProcess.StartAsync(_directory, _settings);
        var (client, token) = await SignedIn(server);
        var project = await client.CreateProject();
        var id = (await client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_big"))).Str("id");
        await using var stalled = await Connect(server, $"/ws/tasks/{project}", token);
        await using var reader = await Connect(server, $"/ws/tasks/{project}", token);
        Assert.Equal("ready", (await stalled.ReceiveAsync()).Str("type"));
        Assert.Equal("ready", (await reader.ReceiveAsync()).Str("type"));

        // Events of about 100 KB each (changes and previous): a few dozen fill the stalled socket's
        // TCP buffers, and then its queue of five.
        const int changes = 80;
        var reading = Task.Run(async () =>
        {
            var seen = new List<long>();
            while (seen.Count < changes)
            {
                seen.Add((await reader.ReceiveAsync("task_updated")).GetProperty("seq").GetInt64());
            }

            return seen;
        });
        for (var i = 0; i < changes; i++)
        {
            var blob = new string((char)('a' + (i % 26)), 50_000);
            await (await client.PatchJson($"/api/v1/tasks/{id}", new { customFields = new { blob } })).Expect(HttpStatusCode.OK);
        }

        var seen = await reading;
        Assert.Equal(changes, seen.Distinct().Count());
        Assert.Equal(seen.Order(), seen);

        var last = "";
        while (await stalled.ReceiveOrCloseAsync() is { } message)
        {
            last = message.Str("type");
        }

        Assert.Equal("resync_required", last);
        Assert.Equal(4409, stalled.CloseStatus);
    }

    [PostgresFact]
    public async Task A_socket_on_one_instance_gets_every_change_made_through_another_once_and_in_order()
    {
        await using var first = await ServerProcess.StartAsync(_directory, _settings);
        await using var second = await ServerProcess.StartAsync(_directory, _settings);
        var (writer, _) = await SignedIn(first);
        var (_, token) = await SignedIn(second);
        var project = await writer.CreateProject();
        var id = (await writer.CreateTask(TaskBuilders.NamedTask(project, $"{project}_x"))).Str("id");
        await using var socket = await Connect(second, $"/ws/tasks/{project}", token);
        var ready = await socket.ReceiveAsync();
        Assert.Equal("ready", ready.Str("type"));

        for (var i = 0; i < 20; i++)
        {
            await (await writer.PatchJson($"/api/v1/tasks/{id}", new { description = $"take {i}" })).Expect(HttpStatusCode.OK);
        }

        var seqs = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            var message = await socket.ReceiveAsync();
            Assert.Equal("task_updated", message.Str("type"));
            Assert.Equal($"take {i}", message.GetProperty("data").GetProperty("changes").Str("description"));
            seqs.Add(message.GetProperty("seq").GetInt64());
        }

        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
        Assert.True(seqs[0] > ready.GetProperty("seq").GetInt64());
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await using var admin = new NpgsqlConnection(PostgresServer);
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<(HttpClient Client, string Token)> SignedIn(ServerProcess server)
    {
        var client = new HttpClient { BaseAddress = server.Address };
        var tokens = await client.Login(TestApp.AdminEmail, TestApp.AdminPassword);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return (client, tokens.AccessToken);
    }

    private static async Task<TestSocket> Connect(ServerProcess server, string path, string token)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{server.Address.Authority}{path}?token={Uri.EscapeDataString(token)}"), CancellationToken.None);
        return new TestSocket(socket);
    }
}
