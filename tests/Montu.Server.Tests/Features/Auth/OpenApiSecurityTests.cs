using System.Net;

namespace Montu.Server.Tests.Features.Auth;

public sealed class OpenApiSecurityTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task The_document_declares_the_bearer_scheme_and_which_operations_need_it_or_none()
    {
        var document = await (await app.Anonymous().GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.Str("type"));
        Assert.Equal("bearer", scheme.Str("scheme"));
        Assert.Equal("JWT", scheme.Str("bearerFormat"));
        var paths = document.GetProperty("paths");
        Assert.Equal(0, paths.GetProperty("/api/v1/auth/login").GetProperty("post").GetProperty("security").GetArrayLength());
        Assert.Equal(0, paths.GetProperty("/.well-known/jwks.json").GetProperty("get").GetProperty("security").GetArrayLength());
        Assert.Equal(0, paths.GetProperty("/health").GetProperty("get").GetProperty("security").GetArrayLength());
        var secured = paths.GetProperty("/api/v1/projects").GetProperty("get").GetProperty("security");
        Assert.True(Assert.Single(secured.EnumerateArray()).TryGetProperty("bearer", out _));
        Assert.True(paths.GetProperty("/api/v1/projects/{projectId}/users").GetProperty("post").TryGetProperty("security", out _));
    }
}
