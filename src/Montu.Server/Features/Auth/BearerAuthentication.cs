using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace Montu.Server.Features.Auth;

/// <summary>
/// Bearer tokens go through the framework's JWT bearer handler under the scheme <c>Bearer</c>:
/// the library validates (<see cref="TokenRules"/>), <see cref="VerifiedTokenCache"/> spares a
/// client reusing its token the repeated parsing and RSA verification, and
/// <see cref="BearerEvents"/> adds Montu's checks and the <see cref="Infrastructure.Access.Caller"/>.
/// </summary>
public static class BearerAuthentication
{
    public const string SchemeName = JwtBearerDefaults.AuthenticationScheme;

    public static void AddMontuBearer(this IServiceCollection services)
    {
        services.AddSingleton<TrustedIssuers>();
        services.AddSingleton<TokenAdmission>();
        services.AddSingleton<BearerEvents>();
        services.AddSingleton<RefetchingTokenHandler>();
        services.AddSingleton(sp => new VerifiedTokenCache(
            sp.GetRequiredService<RefetchingTokenHandler>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<AuthOptions>>().Value.ClockSkew));
        services.AddAuthentication(SchemeName).AddJwtBearer(SchemeName);
        services.AddOptions<JwtBearerOptions>(SchemeName)
            .Configure<TrustedIssuers, VerifiedTokenCache, IOptions<AuthOptions>, TimeProvider>((bearer, issuers, cache, auth, time) =>
            {
                bearer.TokenValidationParameters = TokenRules.For(issuers, auth.Value, time);
                bearer.TokenHandlers.Clear();
                bearer.TokenHandlers.Add(cache);
                bearer.EventsType = typeof(BearerEvents);
            });
    }
}
