using System.Net;

namespace Montu.Server.Tests.Features.Auth;

public sealed class SecurityHeadersTests(TestApp app) : IClassFixture<TestApp>
{
    [Theory]
    [InlineData("/api/v1/projects", true)]
    [InlineData("/api/v1/projects", false)]
    [InlineData("/api/v1/nowhere", true)]
    [InlineData("/.well-known/jwks.json", false)]
    public async Task Every_response_carries_the_security_headers(string path, bool signedIn)
    {
        var response = await (signedIn ? app.Client : app.Anonymous()).GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Without_cors_origins_no_other_origin_is_allowed()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/projects")
        {
            Headers = { { "Origin", "https://evil.example" }, { "Access-Control-Request-Method", "GET" } },
        };

        var response = await app.Anonymous().SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}

public sealed class CorsTests(CorsTests.CorsApp app) : IClassFixture<CorsTests.CorsApp>
{
    public sealed class CorsApp : TestApp
    {
        public CorsApp() => Settings["CORS_ORIGINS"] = "http://localhost:3000, https://review.studio.test";
    }

    [Fact]
    public async Task Listed_origins_may_call_the_api_with_a_bearer_token()
    {
        var preflight = await app.Anonymous().SendAsync(new HttpRequestMessage(HttpMethod.Options, "/api/v1/projects")
        {
            Headers = { { "Origin", "https://review.studio.test" }, { "Access-Control-Request-Method", "PATCH" }, { "Access-Control-Request-Headers", "authorization,content-type" } },
        });
        var call = new HttpRequestMessage(HttpMethod.Get, "/api/v1/projects") { Headers = { { "Origin", "http://localhost:3000" } } };
        var response = await app.Client.SendAsync(call);

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("https://review.studio.test", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("authorization", preflight.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("http://localhost:3000", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("X-Request-Id", response.Headers.GetValues("Access-Control-Expose-Headers").Single());
    }

    [Fact]
    public async Task Other_origins_get_no_cors_headers()
    {
        var call = new HttpRequestMessage(HttpMethod.Get, "/api/v1/projects") { Headers = { { "Origin", "https://evil.example" } } };

        var response = await app.Client.SendAsync(call);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
