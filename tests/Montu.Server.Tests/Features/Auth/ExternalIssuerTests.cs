using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Features.Auth;

namespace Montu.Server.Tests.Features.Auth;

public sealed class ExternalIssuerTests(ExternalIssuerTests.IssuerApp app) : IClassFixture<ExternalIssuerTests.IssuerApp>
{
    private const string Studio = "https://idp.studio.test/realms/vfx";
    private const string Open = "https://auto.studio.test";

    /// <summary>Two external issuers sharing a local JWKS: one matching known users only, one provisioning new ones.</summary>
    public sealed class IssuerApp : TestApp
    {
        public JwksServer Issuer { get; } = new();

        public ManualClock Clock { get; } = new();

        public (string Kid, RSA Key) FirstKey { get; private set; }

        public override async Task InitializeAsync()
        {
            await Issuer.StartAsync();
            FirstKey = Issuer.AddKey();
            Settings["Auth:ExternalIssuers:0:Issuer"] = Studio;
            Settings["Auth:ExternalIssuers:0:Audience"] = "montu";
            Settings["Auth:ExternalIssuers:0:JwksUrl"] = Issuer.JwksUrl;
            Settings["Auth:ExternalIssuers:1:Issuer"] = Open;
            Settings["Auth:ExternalIssuers:1:Audience"] = "montu";
            Settings["Auth:ExternalIssuers:1:JwksUrl"] = Issuer.JwksUrl;
            Settings["Auth:ExternalIssuers:1:AutoProvision"] = "true";
            Settings["Auth:ExternalIssuers:1:RequireVerifiedEmail"] = "true";
            await base.InitializeAsync();
        }

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

        public override async Task DisposeAsync()
        {
            await Issuer.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_token_of_a_configured_issuer_signs_in_the_user_with_that_email()
    {
        await app.SignInAdminAgain();
        var user = await app.CreateUser();

        var me = await (await app.WithToken(Token(Studio, user.Email.ToUpperInvariant())).GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);

        Assert.Equal(user.Id, me.Str("userId"));
    }

    [Fact]
    public async Task An_unknown_email_is_refused_without_auto_provisioning()
    {
        await (await app.WithToken(Token(Studio, Builders.NewEmail())).GetAsync("/api/v1/auth/me")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Auto_provisioning_creates_a_user_without_any_project_access()
    {
        await app.SignInAdminAgain();
        var projectId = await app.Client.CreateProject();
        var email = Builders.NewEmail();
        var client = app.WithToken(Token(Open, email));

        var me = await (await client.GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);
        var projects = await (await client.GetAsync("/api/v1/projects")).Expect(HttpStatusCode.OK);

        Assert.Equal(email, me.Str("email"));
        Assert.Empty(me.GetProperty("permissions").EnumerateArray());
        Assert.Equal(0, projects.GetProperty("total").GetInt64());
        await (await client.GetAsync($"/api/v1/projects/{projectId}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await client.GetAsync("/api/v1/users")).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Theory]
    [InlineData(Studio, false)]
    [InlineData(Open, null)]
    public async Task Unverified_emails_are_refused(string issuer, bool? verified)
    {
        await app.SignInAdminAgain();
        var user = await app.CreateUser();

        await (await app.WithToken(Token(issuer, user.Email, verified)).GetAsync("/api/v1/auth/me")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Wrong_audience_and_unconfigured_issuers_are_refused()
    {
        await app.SignInAdminAgain();
        var user = await app.CreateUser();

        await (await app.WithToken(Token(Studio, user.Email, audience: "other")).GetAsync("/api/v1/auth/me")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await app.WithToken(Token("https://elsewhere.test", user.Email)).GetAsync("/api/v1/auth/me")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Unknown_kids_refetch_the_keys_at_most_once_a_minute()
    {
        await app.SignInAdminAgain();
        var user = await app.CreateUser();
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var second = app.Issuer.AddKey();
        var before = app.Issuer.Fetches;

        await (await app.WithToken(Token(Studio, user.Email, key: second)).GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);
        Assert.Equal(before + 1, app.Issuer.Fetches);

        var third = app.Issuer.AddKey();
        for (var i = 0; i < 3; i++)
        {
            await (await app.WithToken(Token(Studio, user.Email, key: third)).GetAsync("/api/v1/auth/me")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        }

        Assert.Equal(before + 1, app.Issuer.Fetches);
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        await (await app.WithToken(Token(Studio, user.Email, key: third)).GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);
        Assert.Equal(before + 2, app.Issuer.Fetches);
    }

    [Fact]
    public async Task Logging_out_ends_an_external_token_too()
    {
        await app.SignInAdminAgain();
        var user = await app.CreateUser();
        var client = app.WithToken(Token(Studio, user.Email));

        await (await client.PostAsync("/api/v1/auth/logout", null)).Expect(HttpStatusCode.NoContent);

        await (await client.GetAsync("/api/v1/auth/me")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public void Firebase_is_configured_from_the_spec_variables()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FIREBASE_PROJECT_ID"] = "montu-manager-prod",
            ["FIREBASE_AUTH_ENABLED"] = "true",
        }).Build();
        var options = new AuthOptions();

        AuthOptions.FromConfiguration(options, configuration);

        var firebase = Assert.Single(options.ExternalIssuers);
        Assert.Equal("https://securetoken.google.com/montu-manager-prod", firebase.Issuer);
        Assert.Equal("montu-manager-prod", firebase.Audience);
        Assert.Equal(AuthOptions.FirebaseJwksUrl, firebase.JwksUrl);
        Assert.True(firebase.RequireVerifiedEmail);
    }

    private string Token(string issuer, string email, bool? verified = true, string audience = "montu", (string Kid, RSA Key)? key = null)
    {
        var (kid, rsa) = key ?? app.FirstKey;
        var now = app.Clock.GetUtcNow().ToUnixTimeSeconds();
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["sub"] = "ext-" + Guid.NewGuid().ToString("N"),
            ["email"] = email,
            ["iat"] = now,
            ["exp"] = now + 600,
        };
        if (verified is not null)
        {
            claims["email_verified"] = verified;
        }

        return TestTokens.Rs256(rsa, claims, kid);
    }
}
