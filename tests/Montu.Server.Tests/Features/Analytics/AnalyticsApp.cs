using Microsoft.Extensions.DependencyInjection;

namespace Montu.Server.Tests.Features.Analytics;

/// <summary>
/// The server on a clock the tests set. Tokens live for decades, so the clock may jump weeks ahead
/// without signing in again; each test takes a fresh period later than every earlier one.
/// </summary>
public sealed class AnalyticsApp : TestApp
{
    public AnalyticsApp() => Settings["Auth:AccessTokenHours"] = "876000";

    public Montu.Server.Tests.Infrastructure.ManualClock Clock { get; } = new(new DateTimeOffset(2030, 1, 7, 0, 0, 0, TimeSpan.Zero));

    private readonly Lock _gate = new();

    /// <summary>A Monday, midnight UTC, a week or more past the clock; the clock is set to it.</summary>
    public DateTimeOffset NewPeriod()
    {
        lock (_gate)
        {
            var day = Clock.Now.UtcDateTime.Date.AddDays(7);
            day = day.AddDays((8 - (int)day.DayOfWeek) % 7);
            Clock.Now = new DateTimeOffset(day, TimeSpan.Zero);
            return Clock.Now;
        }
    }

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}
