using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Montu.Server.Tests.Features.Auth;

namespace Montu.Server.Tests.Features.Observability;

public sealed class MetricsTests(MetricsTests.MetricsApp app) : IClassFixture<MetricsTests.MetricsApp>
{
    public const string Token = "metrics-token-for-tests-5f1c";
    private const string Loopback = "127.0.0.1";
    private const string Remote = "203.0.113.7";
    private const string Requests = "montu_http_request_duration_seconds";

    /// <summary>With a metrics token, and client addresses a test can choose (TestServer has none of its own).</summary>
    public sealed class MetricsApp : TestApp
    {
        public MetricsApp() => Settings["METRICS_TOKEN"] = Token;

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IStartupFilter, LoginLimitTests.ClientAddress>();

        // As in production (appsettings.json): the framework's own request lines, which the
        // server's per-request line replaces, are not written.
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddFilter<CapturedLogs>("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));
        }
    }

    private static HttpRequestMessage MetricsRequest(string? address, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (address is not null)
        {
            request.Headers.Add(LoginLimitTests.ClientAddress.Header, address);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }

    private async Task<string> TaskAsync()
    {
        var project = await app.Client.CreateProject();
        return (await app.Client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_metrics"))).Str("id");
    }

    [Fact]
    public async Task Requests_are_counted_under_their_route_template_method_and_status_class_never_their_raw_path()
    {
        var task = await TaskAsync();
        var before = await Exposition.ScrapeAsync(app.Anonymous(), Loopback);
        const string Route = "/api/v1/tasks/{taskId}";
        var gets = before.Value($"{Requests}_count", ("route", Route), ("method", "GET"), ("status", "2xx")) ?? 0;

        await (await app.Client.GetAsync($"/api/v1/tasks/{task}")).Expect(HttpStatusCode.OK);
        await (await app.Client.GetAsync($"/api/v1/tasks/{task}")).Expect(HttpStatusCode.OK);
        await (await app.Client.GetAsync("/api/v1/tasks/task_none")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await app.Client.GetAsync($"/no/such/{task}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var after = await Exposition.ScrapeAsync(app.Anonymous(), Loopback);

        Assert.Equal("histogram", after.Types[Requests]);
        Assert.Equal(gets + 2, after.Value($"{Requests}_count", ("route", Route), ("method", "GET"), ("status", "2xx")));
        Assert.True(after.Value($"{Requests}_count", ("route", Route), ("method", "GET"), ("status", "4xx")) >= 1);
        Assert.True(after.Value($"{Requests}_count", ("route", "unmatched"), ("method", "GET"), ("status", "4xx")) >= 1);
        Assert.True(after.Value($"{Requests}_bucket", ("route", Route), ("method", "GET"), ("status", "2xx"), ("le", "0.2")) >= 0);
        Assert.Equal(after.Value($"{Requests}_count", ("route", Route), ("method", "GET"), ("status", "2xx")),
            after.Value($"{Requests}_bucket", ("route", Route), ("method", "GET"), ("status", "2xx"), ("le", "+Inf")));
        Assert.DoesNotContain(after.Samples, s => s.Labels.Values.Any(v => v.Contains(task, StringComparison.Ordinal) || v.Contains("task_none", StringComparison.Ordinal)));

        Assert.True(after.Value("montu_db_command_duration_seconds_count", ("engine", TestApp.OnPostgres ? "postgres" : "sqlite")) > 0);
        Assert.Equal(1, after.Value("montu_database_up"));
        Assert.True(after.Value("process_cpu_seconds_total") > 0);
        Assert.True(after.Value("process_working_set_bytes") > 0);
        Assert.NotEmpty(after.Named("dotnet_collection_count_total"));
        Assert.True(after.Value("montu_data_volume_size_bytes") >= after.Value("montu_data_volume_free_bytes"));
    }

    [Fact]
    public async Task Metrics_answer_loopback_or_the_token_and_anyone_else_the_404_of_a_route_that_does_not_exist()
    {
        foreach (var address in new[] { Loopback, "::1", "::ffff:127.0.0.1" })
        {
            using var response = await app.Anonymous().SendAsync(MetricsRequest(address));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var withToken = await app.Anonymous().SendAsync(MetricsRequest(Remote, Token)))
        {
            Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
            Assert.Contains("# TYPE montu_http_request_duration_seconds histogram", await withToken.Content.ReadAsStringAsync());
        }

        var absent = await (await app.Anonymous().GetAsync("/metricz")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        foreach (var bearer in new string?[] { null, "wrong-token", Token + "x", app.Client.DefaultRequestHeaders.Authorization!.Parameter })
        {
            var refused = await (await app.Anonymous().SendAsync(MetricsRequest(Remote, bearer))).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
            Assert.Equal(absent.Str("message").Replace("/metricz", "/metrics", StringComparison.Ordinal), refused.Str("message"));
        }
    }

    [Fact]
    public async Task The_websocket_gauge_follows_a_real_socket()
    {
        var project = await app.Client.CreateProject();
        double Open(Exposition e) => e.Value("montu_websockets_open", ("channel", "tasks")) ?? 0;
        var before = Open(await Exposition.ScrapeAsync(app.Anonymous(), Loopback));

        var socket = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}", app.Client.DefaultRequestHeaders.Authorization!.Parameter!);
        Assert.Equal("ready", (await socket.ReceiveAsync()).Str("type"));
        Assert.Equal(before + 1, Open(await Exposition.ScrapeAsync(app.Anonymous(), Loopback)));

        await socket.Socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await socket.DisposeAsync();
        Assert.True(await Eventually(async () => Open(await Exposition.ScrapeAsync(app.Anonymous(), Loopback)) == before), "the gauge went back down when the socket closed");
    }

    [Fact]
    public async Task Event_log_lag_is_the_head_minus_what_live_channels_were_offered_and_drains_to_zero()
    {
        await TaskAsync();
        Assert.True(await Eventually(async () =>
        {
            var scrape = await Exposition.ScrapeAsync(app.Anonymous(), Loopback);
            return scrape.Value("montu_event_log_lag_events") == 0
                && scrape.Value("montu_event_log_head_sequence") >= 1
                && scrape.Value("montu_event_log_delivered_sequence") == scrape.Value("montu_event_log_head_sequence");
        }), "the fan-out caught up with the head");
    }

    [Fact]
    public async Task A_finished_job_is_timed_by_kind_and_outcome()
    {
        var task = await TaskAsync();
        var media = (await app.Client.UploadPng(task)).Str("id");
        await app.Client.UntilProcessedAsync(media);

        var scrape = await Exposition.ScrapeAsync(app.Anonymous(), Loopback);
        var completed = scrape.Named("montu_job_duration_seconds_count").Where(s => s.Has(("outcome", "completed"))).ToList();
        Assert.Contains(completed, s => s.Labels["kind"].StartsWith("media", StringComparison.Ordinal) && s.Value >= 1);
        Assert.Equal("gauge", scrape.Types["montu_job_queue_depth"]);
    }

    private static async Task<bool> Eventually(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
