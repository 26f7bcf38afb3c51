using Dapper;
using Microsoft.Extensions.Configuration;
using Montu.Server.Data;
using Npgsql;

namespace Montu.Server.Tests.Data;

/// <summary>The PostgreSQL defaults Montu adds to <c>MONTU_DATABASE</c>, and that the connection string's own settings win.</summary>
public sealed class DatabaseSettingsTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public void PostgreSQL_statements_are_prepared_unless_the_connection_string_says_otherwise()
    {
        Assert.Equal(64, Parsed("Host=db.studio.lan;Database=montu").MaxAutoPrepare);
        Assert.Equal(64, Parsed("postgres://montu@db.studio.lan/montu").MaxAutoPrepare);
        Assert.Equal(0, Parsed("Host=db.studio.lan;Database=montu;Max Auto Prepare=0").MaxAutoPrepare);
        Assert.Equal(10, Parsed("Host=db.studio.lan;Database=montu;MaxAutoPrepare=10").MaxAutoPrepare);
        Assert.Equal(64, Parsed("Host=db.studio.lan;Database=montu;Auto Prepare Min Usages=2").MaxAutoPrepare);
    }

    [Fact]
    public async Task SQLite_is_the_bundled_engine_not_the_machines_library()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();

        var version = Version.Parse(await connection.ExecuteScalarAsync<string>("SELECT sqlite_version()") ?? "0.0");

        // Debian 12's libsqlite3 is 3.40; the bundle brings 3.53 with its JSON and planner fixes.
        Assert.True(version >= new Version(3, 53), $"SQLite {version} is older than the bundled 3.53");
    }

    [Fact]
    public void PostgreSQL_pool_size_defaults_to_four_per_core_unless_given()
    {
        Assert.Equal(Math.Max(8, 4 * Environment.ProcessorCount), Parsed("Host=db.studio.lan;Database=montu").MaxPoolSize);
        Assert.Equal(30, Parsed("Host=db.studio.lan;Database=montu;Maximum Pool Size=30").MaxPoolSize);
    }

    [PostgresFact]
    public async Task The_servers_connections_prepare_a_statement_they_run_repeatedly()
    {
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        for (var i = 0; i < 6; i++)
        {
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM projects WHERE status = @status", new { status = "active" });
        }

        var prepared = await connection.QueryAsync<string>("SELECT statement FROM pg_prepared_statements");
        Assert.Contains(prepared, statement => statement.Contains("FROM projects WHERE status = $1", StringComparison.Ordinal));
    }

    private static NpgsqlConnectionStringBuilder Parsed(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["MONTU_DATABASE"] = value }).Build();
        var settings = DatabaseSettings.From(configuration);
        Assert.Equal(DbEngine.Postgres, settings.Engine);
        return new NpgsqlConnectionStringBuilder(settings.ConnectionString);
    }
}
