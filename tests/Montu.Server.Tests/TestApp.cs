using System.Net.Http.Headers;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Data;
using Npgsql;

namespace Montu.Server.Tests;

/// <summary>
/// The server on a fresh database: a SQLite file in a temp folder, or, when
/// <c>MONTU_TEST_POSTGRES</c> holds a connection string, a new PostgreSQL database that is
/// dropped afterwards. Test classes share one instance through <c>IClassFixture</c>.
/// </summary>
public sealed class TestApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private static readonly string? PostgresServer = Environment.GetEnvironmentVariable("MONTU_TEST_POSTGRES");
    private readonly string _dataDir = Directory.CreateTempSubdirectory("montu-test-").FullName;
    private readonly string _database;
    private readonly string? _postgresName;

    public TestApp()
    {
        if (PostgresServer is null)
        {
            _database = Path.Combine(_dataDir, "montu.db");
        }
        else
        {
            _postgresName = "montu_test_" + Guid.NewGuid().ToString("N")[..12];
            _database = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = _postgresName }.ConnectionString;
        }
    }

    public static bool OnPostgres => PostgresServer is not null;

    public Db Db => Services.GetRequiredService<Db>();

    /// <summary>Settings a test class adds before the server starts (<c>MONTU_DEMO</c>, limits, ...).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (_postgresName is not null)
        {
            await using var admin = new NpgsqlConnection(PostgresServer);
            await admin.ExecuteAsync($"CREATE DATABASE {_postgresName}");
        }

        Client = CreateClient();
        Client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("MONTU_DATABASE", _database);
        builder.UseSetting("MONTU_DATA_DIR", _dataDir);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
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

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(PostgresServer);
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)");
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }
}
