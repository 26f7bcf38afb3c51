using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Montu.Server.Data;
using Montu.Server.Features.Users;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;

namespace Montu.Server.Features.Auth;

/// <summary>Registers authentication, users, project membership and the limits around them.</summary>
public static class AuthServices
{
    public static void AddMontuAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton<IdGenerator>();
        services.AddOptions<AuthOptions>()
            .Configure<IConfiguration>((options, configuration) => AuthOptions.FromConfiguration(options, configuration))
            .Validate(options => options.ExternalIssuers.All(IsSafeJwksUrl), "External issuers need an https JwksUrl (http only on loopback)")
            .ValidateOnStart();
        services.AddSingleton(sp => SigningKeys.Load(
            sp.GetRequiredService<IOptions<AuthOptions>>().Value,
            DataDirectory.From(sp.GetRequiredService<IConfiguration>()),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<SigningKeys>()));
        services.AddHttpClient(ExternalKeySets.HttpClientName, client =>
        {
            client.Timeout = TimeSpan.FromSeconds(5);
            client.MaxResponseContentBufferSize = 1024 * 1024;
        });
        services.AddSingleton<ExternalKeySets>();
        services.AddSingleton<ExternalUsers>();
        services.AddSingleton<UserAccessCache>();
        services.AddSingleton<IAnnouncedEventHandler>(sp => sp.GetRequiredService<UserAccessCache>());
        services.AddSingleton<Passwords>();
        services.AddSingleton<RefreshTokens>();
        services.AddSingleton<AccessTokenIssuer>();
        services.AddSingleton<Sessions>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton(sp => SignedLinks.Load(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<UserQueries>();
        services.AddSingleton<UserAccounts>();
        services.AddSingleton<UserChanges>();
        services.AddSingleton<MemberQueries>();
        services.AddSingleton<MemberChanges>();
        services.AddMontuBearer();
        services.AddMontuRateLimits(builder.Configuration);
    }

    private static bool IsSafeJwksUrl(ExternalIssuerOptions issuer) =>
        Uri.TryCreate(issuer.JwksUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
        && issuer.Issuer.Length > 0 && issuer.Audience.Length > 0;
}
