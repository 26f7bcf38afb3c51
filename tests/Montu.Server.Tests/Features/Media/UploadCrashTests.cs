using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Dapper;
using Npgsql;

namespace Montu.Server.Tests.Features.Media;

/// <summary>
/// A server killed (SIGKILL) in the middle of an upload's file and started again on the same data
/// and database: nothing of the upload is listed, downloadable or left under the upload keys, and
/// the task takes its next upload. A real server process, since what is tested is what a dead
/// process leaves behind. On PostgreSQL when <c>MONTU_TEST_POSTGRES</c> is set (a database of its
/// own), on the SQLite file of the data directory otherwise; files in the local directory.
/// </summary>
public sealed class UploadCrashTests : IAsyncLifetime
{
    private static readonly string? PostgresServer = Environment.GetEnvironmentVariable("MONTU_TEST_POSTGRES");
    private readonly string _directory = Directory.CreateTempSubdirectory("montu-crash-").FullName;
    private readonly string? _database = PostgresServer is null ? null : "montu_test_" + Guid.NewGuid().ToString("N")[..12];
    private readonly Dictionary<string, string> _settings = [];

    private string DataDir => Path.Combine(_directory, "data");

    private string Uploads => Path.Combine(DataDir, "media", "uploads");

    public async Task InitializeAsync()
    {
        _settings["MONTU_DATA_DIR"] = DataDir;
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
    public async Task A_server_killed_mid_upload_restarts_without_a_trace_of_it_and_takes_the_next_one()
    {
        string task, partial;
        await using (var server = await ServerProcess.StartAsync(_directory, _settings))
        {
            using var client = await SignedIn(server);
            var project = await client.CreateProject();
            task = (await client.CreateTask(TaskBuilders.ShotTask(project, episode: project))).Str("id");
            using var upload = await RawHttp.StartUpload(client, task, "cache.abc", fileBytes: 64L << 20, sentBytes: 8L << 20);
            partial = await ArrivingFile();
            await server.KillAsync();
        }

        // What the kill left: the file cut off mid-way, named after the version it was to become.
        Assert.True(File.Exists(partial));
        var mediaId = Path.GetFileName(partial).Split('.')[0];
        Assert.StartsWith("media_", mediaId);

        await using var restarted = await ServerProcess.StartAsync(_directory, _settings);
        using var again = await SignedIn(restarted);
        Assert.Equal(0, (await (await again.GetAsync($"/api/v1/media?task_id={task}")).Json()).GetProperty("total").GetInt64());
        Assert.Equal(0, (await (await again.GetAsync($"/api/v1/tasks/{task}/media")).Expect(HttpStatusCode.OK)).GetArrayLength());
        await (await again.GetAsync($"/api/v1/media/{mediaId}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await again.GetAsync($"/api/v1/media/{mediaId}/download")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Empty(Directory.GetFiles(Uploads, "*", SearchOption.AllDirectories));
        Assert.Contains("Deleted 1 partial files of uploads a stopped server left unfinished", restarted.Log);

        var next = await again.UploadPng(task);
        Assert.Equal("v001", next.Str("linkedVersion"));
        Assert.Equal(MediaBuilders.Png, await again.GetByteArrayAsync($"/api/v1/media/{next.Str("id")}/download"));
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

    private static async Task<HttpClient> SignedIn(ServerProcess server)
    {
        var client = new HttpClient { BaseAddress = server.Address };
        var tokens = await client.Login(TestApp.AdminEmail, TestApp.AdminPassword);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return client;
    }

    /// <summary>The upload's partial file once some of its bytes are on disk: the server is then in the middle of storing it.</summary>
    private async Task<string> ArrivingFile()
    {
        var started = Stopwatch.StartNew();
        while (started.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (Directory.Exists(Uploads) && Directory.GetFiles(Uploads, "*.partial", SearchOption.AllDirectories) is [var file] && new FileInfo(file).Length > 0)
            {
                return file;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The upload never reached the disk");
    }
}
