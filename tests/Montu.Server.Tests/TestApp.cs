using System.Net.Http.Headers;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Montu.Server.Data;
using Npgsql;

namespace Montu.Server.Tests;

/// <summary>
/// The server on a fresh database: a SQLite file in a temp folder, or, when
/// <c>MONTU_TEST_POSTGRES</c> holds a connection string, a new PostgreSQL database that is
/// dropped afterwards. Test classes share one instance through <c>IClassFixture</c>; a class
/// needing other settings derives its own fixture and fills <see cref="Settings"/> in its
/// constructor. <see cref="Client"/> is signed in as the server admin.
/// </summary>
public class TestApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "admin-password-for-tests";
    private static readonly string? PostgresServer = Environment.GetEnvironmentVariable("MONTU_TEST_POSTGRES");
    private readonly string _database;
    private readonly string? _postgresName;
    private readonly bool _ownsDatabase = true;

    public TestApp()
    {
        DataDir = Directory.CreateTempSubdirectory("montu-test-").FullName;
        if (PostgresServer is null)
        {
            _database = Path.Combine(DataDir, "montu.db");
        }
        else
        {
            _postgresName = "montu_test_" + Guid.NewGuid().ToString("N")[..12];
            _database = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = _postgresName }.ConnectionString;
        }

        Settings["MONTU_ADMIN_EMAIL"] = AdminEmail;
        Settings["MONTU_ADMIN_PASSWORD"] = AdminPassword;
        // TestServer requests share one client address, so the per-IP sign-in limit is lifted here.
        Settings["RateLimits:Login:PermitLimit"] = "100000";
    }

    /// <summary>Another server on <paramref name="first"/>'s database, with its settings (see <see cref="SecondInstance"/>).</summary>
    protected TestApp(TestApp first)
    {
        DataDir = first.DataDir;
        _database = first._database;
        _ownsDatabase = false;
        foreach (var (key, value) in first.Settings)
        {
            Settings[key] = value;
        }
    }

    /// <summary>
    /// Another server process on this one's database and data directory (so tokens of one are
    /// good on the other), as behind a load balancer. Initialize and dispose it yourself.
    /// </summary>
    public TestApp SecondInstance() => new(this);

    public static bool OnPostgres => PostgresServer is not null;

    public string DataDir { get; }

    public Db Db => Services.GetRequiredService<Db>();

    /// <summary>Settings a test class adds before the server starts (<c>MONTU_DEMO</c>, limits, ...).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>Every log line the server wrote, formatted, exceptions included.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>Signed in as the server admin (or anonymous when no admin password is configured).</summary>
    public HttpClient Client { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        if (_postgresName is not null)
        {
            await using var admin = new NpgsqlConnection(PostgresServer);
            await admin.ExecuteAsync($"CREATE DATABASE {_postgresName}");
        }

        await PrepareDatabaseAsync();
        Client = Anonymous();
        if (Settings["MONTU_ADMIN_PASSWORD"] is { Length: > 0 })
        {
            await SignInAdminAgain();
        }
    }

    /// <summary>Gives <see cref="Client"/> a fresh admin token (after a test moved the clock past the old one's expiry).</summary>
    public async Task SignInAdminAgain()
    {
        var tokens = await Anonymous().Login(Settings["MONTU_ADMIN_EMAIL"]!, Settings["MONTU_ADMIN_PASSWORD"]!);
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
    }

    /// <summary>A client without credentials.</summary>
    public HttpClient Anonymous()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>A client sending <paramref name="accessToken"/> as its bearer token.</summary>
    public HttpClient WithToken(string accessToken)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>
    /// A new user (created by the admin), member of <paramref name="projectId"/> with
    /// <paramref name="role"/> when given, signed in with that project chosen.
    /// </summary>
    public async Task<TestUser> CreateUser(string? projectId = null, string? role = null, bool isAdmin = false)
    {
        var email = Builders.NewEmail();
        var password = Builders.NewPassword();
        var created = await (await Client.PostJson("/api/v1/users", new { email, displayName = $"User {email}", password, isAdmin }))
            .Expect(System.Net.HttpStatusCode.Created);
        var id = created.Str("id");
        if (projectId is not null)
        {
            await (await Client.PostJson($"/api/v1/projects/{projectId}/users", new { userId = id, role = role ?? "artist" }))
                .Expect(System.Net.HttpStatusCode.Created);
        }

        var tokens = await Anonymous().Login(email, password, projectId);
        return new TestUser(id, email, password, tokens, WithToken(tokens.AccessToken));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("MONTU_DATABASE", _database);
        builder.UseSetting("MONTU_DATA_DIR", DataDir);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<CapturedLogs>(null, LogLevel.Trace));
        builder.ConfigureTestServices(ConfigureServices);
    }

    /// <summary>
    /// Makes the database unusable under the running server: on SQLite the file becomes junk bytes
    /// ("file is not a database"); on PostgreSQL the database is dropped. Pools are cleared so no
    /// open connection hides it.
    /// </summary>
    public async Task TakeDatabaseDownAsync()
    {
        if (_postgresName is null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await File.WriteAllBytesAsync(_database, Enumerable.Repeat((byte)0x5A, 8192).ToArray());
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            return;
        }

        await using var admin = new NpgsqlConnection(PostgresServer);
        await admin.ExecuteAsync($"DROP DATABASE {_postgresName} WITH (FORCE)");
        NpgsqlConnection.ClearAllPools();
    }


    /// <summary>The database's connection string (a file path on SQLite), for a fixture that fills it before the server starts.</summary>
    protected string DatabaseConnection => _postgresName is null ? $"Data Source={_database}" : _database;

    /// <summary>Runs once the database exists and before the server starts (and migrates it): a derived fixture's older schema, say.</summary>
    protected virtual Task PrepareDatabaseAsync() => Task.CompletedTask;

    /// <summary>Replaces services for a derived fixture (a manual clock, say).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public new virtual async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_ownsDatabase)
        {
            return;
        }

        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(PostgresServer);
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)");
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDir, recursive: true);
    }
}

/// <summary>A user created for a test, with a client signed in as them.</summary>
public sealed record TestUser(string Id, string Email, string Password, Tokens Tokens, HttpClient Client);
