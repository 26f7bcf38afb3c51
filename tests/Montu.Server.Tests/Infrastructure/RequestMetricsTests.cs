using Montu.Server.Infrastructure;

namespace Montu.Server.Tests.Infrastructure;

public sealed class RequestMetricsTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_young_server_reports_its_first_minute_without_extrapolating()
    {
        var metrics = new RequestMetrics(_clock);
        metrics.Record(200, TimeSpan.FromMilliseconds(10));
        metrics.Record(404, TimeSpan.FromMilliseconds(20));
        _clock.Now += TimeSpan.FromSeconds(3);
        metrics.Record(503, TimeSpan.FromMilliseconds(30));
        metrics.Record(500, TimeSpan.FromMilliseconds(40));

        Assert.Equal(new RequestFigures(4, 25, 50), metrics.Snapshot());
    }

    [Fact]
    public void Figures_cover_the_last_five_minutes_only()
    {
        var metrics = new RequestMetrics(_clock);
        metrics.Record(500, TimeSpan.FromMilliseconds(100));
        _clock.Now += TimeSpan.FromMinutes(6);
        for (var second = 0; second < 300; second++)
        {
            metrics.Record(200, TimeSpan.FromMilliseconds(4));
            _clock.Now += TimeSpan.FromSeconds(1);
        }

        _clock.Now -= TimeSpan.FromSeconds(1);

        Assert.Equal(new RequestFigures(60, 4, 0), metrics.Snapshot());
    }

    [Fact]
    public void No_traffic_reports_zeros()
    {
        Assert.Equal(new RequestFigures(0, 0, 0), new RequestMetrics(_clock).Snapshot());
    }

    [Fact]
    public async Task Concurrent_requests_are_all_counted()
    {
        var metrics = new RequestMetrics(TimeProvider.System);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                metrics.Record(200, TimeSpan.FromTicks(10));
            }
        })));

        Assert.Equal(40_000, metrics.Snapshot().RequestsPerMinute);
    }
}
