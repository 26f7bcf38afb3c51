using System.Net;
using Microsoft.Extensions.Logging;

namespace Montu.Server.Tests.Infrastructure;

/// <summary>A client's bad request is logged once, briefly; errors and stack traces are for the server's own faults.</summary>
public sealed class ClientErrorLogTests(TestApp app) : IClassFixture<TestApp>
{
    [Theory]
    [InlineData("""{"email": "a@b.test", """)]
    [InlineData("""{"email": 42}""")]
    [InlineData("""[1, 2]""")]
    public async Task A_body_that_cannot_be_read_is_one_information_line_without_a_stack(string body)
    {
        var response = await app.Anonymous().PostRaw("/api/v1/auth/login", body);
        var error = await response.ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var requestId = error.Str("requestId");
        var lines = app.Logs.Lines.Where(l => l.Text.Contains(requestId, StringComparison.Ordinal)).ToList();
        // Besides the line every request gets, which names the route the refused body was sent to.
        var request = Assert.Single(lines, l => l.Category == "Montu.Requests");
        Assert.StartsWith("POST /api/v1/auth/login ", request.Text);
        var line = Assert.Single(lines, l => l.Category != "Montu.Requests");
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.StartsWith("Refused POST '/api/v1/auth/login' with 400", line.Text);
        Assert.DoesNotContain("   at ", line.Text);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Level >= LogLevel.Error);
    }
}
