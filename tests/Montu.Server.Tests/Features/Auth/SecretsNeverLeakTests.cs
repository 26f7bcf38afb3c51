using System.Net;
using Dapper;

namespace Montu.Server.Tests.Features.Auth;

public sealed class SecretsNeverLeakTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Passwords_and_refresh_tokens_appear_in_no_response_log_line_or_event()
    {
        var (first, second, third, typedIntoEmail) = (Builders.NewPassword(), Builders.NewPassword(), Builders.NewPassword(), Builders.NewPassword());
        var email = Builders.NewEmail();
        var bodies = new List<string>();
        async Task<HttpResponseMessage> Keep(Task<HttpResponseMessage> call)
        {
            var response = await call;
            bodies.Add(await response.Content.ReadAsStringAsync());
            return response;
        }

        var anonymous = app.Anonymous();
        var id = (await (await Keep(app.Client.PostJson("/api/v1/users", new { email, displayName = "Secretive", password = first }))).Expect(HttpStatusCode.Created)).Str("id");
        var session = Tokens.From(await (await Keep(anonymous.PostJson("/api/v1/auth/login", new { email, password = first }))).Expect(HttpStatusCode.OK));
        await Keep(anonymous.PostJson("/api/v1/auth/login", new { email = typedIntoEmail, password = first }));
        await Keep(anonymous.PostJson("/api/v1/auth/login", new { email, password = typedIntoEmail }));
        await Keep(app.WithToken(session.AccessToken).PostJson($"/api/v1/users/{id}/password", new { currentPassword = typedIntoEmail, newPassword = second }));
        await Keep(app.WithToken(session.AccessToken).PostJson($"/api/v1/users/{id}/password", new { currentPassword = first, newPassword = second }));
        await Keep(app.Client.PostJson($"/api/v1/users/{id}/password", new { newPassword = third }));
        await Keep(anonymous.Refresh(session.RefreshToken));
        var later = Tokens.From(await (await Keep(anonymous.PostJson("/api/v1/auth/login", new { email, password = third }))).Expect(HttpStatusCode.OK));
        var rotated = Tokens.From(await (await Keep(anonymous.Refresh(later.RefreshToken))).Expect(HttpStatusCode.OK));
        await Keep(anonymous.Refresh(later.RefreshToken));
        await Keep(app.Client.PostJson("/api/v1/users", new { email = Builders.NewEmail(), displayName = "Weak", password = "tiny-pw" }));

        string[] passwords = [first, second, third, typedIntoEmail, "tiny-pw"];
        string[] refreshTokens = [session.RefreshToken, later.RefreshToken, rotated.RefreshToken];
        await using var connection = await app.Db.OpenAsync(default);
        var payloads = (await connection.QueryAsync<string>("SELECT CAST(payload AS TEXT) FROM events")).ToList();
        var logs = app.Logs.Lines.Select(l => l.Text).ToList();
        foreach (var secret in passwords)
        {
            Assert.DoesNotContain(bodies, b => b.Contains(secret, StringComparison.Ordinal));
        }

        foreach (var secret in passwords.Concat(refreshTokens))
        {
            Assert.DoesNotContain(logs, l => l.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(payloads, p => p.Contains(secret, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(payloads, p => p.Contains("AQAAAA", StringComparison.Ordinal) || p.Contains("hash", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(payloads, p => p.Contains(id, StringComparison.Ordinal));
        Assert.NotEmpty(logs);
    }
}
