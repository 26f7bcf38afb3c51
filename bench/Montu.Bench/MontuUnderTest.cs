using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Montu.Bench;

/// <summary>
/// The Montu server of one engine and its database, holding a show of every size measured, as a
/// studio's server holds its big and small shows. Both sizes are measured in this one process, so
/// the 100k-versus-10k ratio compares shows, not two processes' JIT and memory layout (which
/// held one server's first page at 9.3k req/s against another's 14.8k for a whole run).
/// Stopped and its database removed on dispose.
/// </summary>
public sealed class MontuUnderTest(BenchOptions options, string engine) : IAsyncDisposable
{
    public const string ServerCore = "0";
    private readonly string _workDir = Directory.CreateTempSubdirectory($"montu-bench-{engine}-").FullName;
    private readonly string _adminPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private const string DatabaseName = "montu_bench";
    private ServerProcess? _server;
    private string? _connection;

    public ServerProcess Server => _server!;

    public string WorkDir => _workDir;

    /// <summary>The database's connection string, for <c>--hold</c>: to look at query plans by hand.</summary>
    public string DatabaseConnection => _connection!;

    /// <summary>How long the bulk insert of each show's tasks took, by size (<see cref="ShowSeeder.InsertTasksAsync"/>).</summary>
    public IReadOnlyDictionary<int, TimeSpan> ShowInsertTimes { get; private set; } = new Dictionary<int, TimeSpan>();

    /// <summary>Lets the database settle (<see cref="ShowSeeder.SettleAsync"/>), as after the seeding.</summary>
    public Task SettleAsync() => ShowSeeder.SettleAsync(engine, _connection!);

    public async Task PrepareAsync(IReadOnlyList<int> sizes)
    {
        Progress.Say($"[{engine}] seeding shows of {string.Join(", ", sizes)} tasks");
        var connection = _connection = await ShowSeeder.CreateDatabaseAsync(engine, _workDir, options.Postgres, DatabaseName);
        await using (var first = await StartServerAsync(connection))
        {
            using var setup = await SignedInClientAsync(first);
            await new ShowSeeder(setup, engine, connection).CreateProjectsAsync(sizes);
        }

        var seeder = new ShowSeeder(null, engine, connection);
        ShowInsertTimes = await seeder.InsertTasksAsync(sizes);
        await seeder.InsertNotesAsync(sizes);
        Progress.Say($"[{engine}] tasks and notes inserted; starting the server, which writes their documents");
        _server = await StartServerAsync(connection);
        Progress.Say($"[{engine}] server started; settling the database");
        // The server has just written every task's document: let the database settle before measuring.
        await SettleAsync();
        Progress.Say($"[{engine}] server ready, PID {_server.Pid}");
    }

    /// <summary>A client of the server, signed in as the harness's admin.</summary>
    public Task<HttpClient> SignedInClientAsync() => SignedInClientAsync(Server);

    /// <summary>Another Montu process on the same database and data directory, on the server's core; the caller stops it.</summary>
    public Task<ServerProcess> StartAnotherInstanceAsync() => StartServerAsync(_connection!);

    private Task<ServerProcess> StartServerAsync(string connection) =>
        ServerProcess.StartAsync(ServerCore, ["dotnet", options.ServerDll], ServerEnvironment(connection), "/health");

    /// <summary>A client of <paramref name="server"/> (this server or another instance of it), signed in as the harness's admin.</summary>
    public async Task<HttpClient> SignedInClientAsync(ServerProcess server)
    {
        var api = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await LoginAsync(api));
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (engine == "postgres")
        {
            await using var admin = new NpgsqlConnection(options.Postgres);
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)");
        }

        Directory.Delete(_workDir, recursive: true);
    }

    private Dictionary<string, string> ServerEnvironment(string connection) => new()
    {
        ["MONTU_DATABASE"] = engine == "postgres" ? connection : connection["Data Source=".Length..],
        ["MONTU_DATA_DIR"] = _workDir,
        ["MONTU_ADMIN_EMAIL"] = "bench@montu.local",
        ["MONTU_ADMIN_PASSWORD"] = _adminPassword,
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Logging__LogLevel__Default"] = "Warning",
        // One token drives thousands of requests a second: the per-user API limit would measure itself.
        ["RateLimits__Api__PermitLimit"] = "0",
    };

    private async Task<string> LoginAsync(HttpClient api)
    {
        var response = await api.PostAsJsonAsync("/api/v1/auth/login", new { email = "bench@montu.local", password = _adminPassword });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }
}
