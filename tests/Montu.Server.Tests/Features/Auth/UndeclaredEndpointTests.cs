using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Montu.Server.Tests.Features.Auth;

/// <summary>A route someone forgot to declare access on still needs a token: access control fails closed.</summary>
public sealed class UndeclaredEndpointTests(UndeclaredEndpointTests.ForgetfulApp app) : IClassFixture<UndeclaredEndpointTests.ForgetfulApp>
{
    /// <summary>The server plus one endpoint mapped without any access declaration.</summary>
    public sealed class ForgetfulApp : TestApp
    {
        protected override void ConfigureServices(IServiceCollection services) => services.AddTransient<IStartupFilter, ForgottenRoute>();

        private sealed class ForgottenRoute : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                next(app);
                // The app's own route builder, found among the pipeline's properties once it is built:
                // the endpoint is matched like any route Program maps, only without a declaration.
                app.Properties.Values.OfType<IEndpointRouteBuilder>().First().MapGet("/api/v1/forgotten", () => "secret");
            };
        }
    }

    [Fact]
    public async Task An_endpoint_without_a_declaration_still_requires_a_token()
    {
        await (await app.Anonymous().GetAsync("/api/v1/forgotten")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("secret", await (await app.Client.GetAsync("/api/v1/forgotten")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_wrong_method_or_content_type_is_said_as_such_even_without_a_token()
    {
        await (await app.Anonymous().PutAsync("/api/v1/auth/me", null)).ExpectError(HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED");
        var error = await (await app.Anonymous().PostRaw("/api/v1/auth/login", """{"email": "a@b.test"}""", "text/plain"))
            .ExpectError(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
        Assert.Contains("Content-Type: application/json", error.Str("message"));
        await (await app.Anonymous().PostRaw("/api/v1/auth/refresh", "{}", "application/x-www-form-urlencoded"))
            .ExpectError(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
    }
}
