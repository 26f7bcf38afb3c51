using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Tests.Features.Auth;

namespace Montu.Server.Tests.Features.Observability;

public sealed class MetricsWithoutTokenTests(MetricsWithoutTokenTests.NoTokenApp app) : IClassFixture<MetricsWithoutTokenTests.NoTokenApp>
{
    /// <summary>No METRICS_TOKEN: only loopback may scrape.</summary>
    public sealed class NoTokenApp : TestApp
    {
        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IStartupFilter, LoginLimitTests.ClientAddress>();
    }

    [Fact]
    public async Task Without_a_metrics_token_no_bearer_opens_metrics_from_elsewhere_and_loopback_still_scrapes()
    {
        foreach (var bearer in new[] { "", MetricsTests.Token, app.Client.DefaultRequestHeaders.Authorization!.Parameter! })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { LoginLimitTests.ClientAddress.Header, "198.51.100.20" } } };
            if (bearer.Length > 0)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }

            await (await app.Anonymous().SendAsync(request)).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        }

        Assert.NotEmpty((await Exposition.ScrapeAsync(app.Anonymous(), "127.0.0.1")).Named("montu_database_up"));
    }
}
