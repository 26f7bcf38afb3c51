using System.Globalization;

namespace Montu.Server.Features.Auth;

/// <summary>
/// Configuration section <c>Auth</c>, plus the spec's variables <c>JWT_EXPIRATION_HOURS</c>,
/// <c>FIREBASE_PROJECT_ID</c> and <c>FIREBASE_AUTH_ENABLED</c> (see <see cref="FromConfiguration"/>).
/// </summary>
public sealed class AuthOptions
{
    public const string FirebaseJwksUrl = "https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com";

    /// <summary>The <c>iss</c> of the tokens this server issues.</summary>
    public string Issuer { get; set; } = "montu";

    /// <summary>The <c>aud</c> of the tokens this server issues and requires.</summary>
    public string Audience { get; set; } = "montu-api";

    public double AccessTokenHours { get; set; } = 1;

    /// <summary>How long a refresh token stays usable; every rotation starts a new period.</summary>
    public double RefreshTokenDays { get; set; } = 14;

    /// <summary>Tolerance for clocks of other machines when checking <c>exp</c>, <c>nbf</c> and <c>iat</c>.</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>
    /// How long a user's flags and memberships are cached. Changes made on this instance, and on
    /// PostgreSQL those announced by other instances, apply at once; this bounds how long another
    /// instance's change can go unseen while the event listener reconnects
    /// (docs/decisions/0005-authentication.md).
    /// </summary>
    public int UserCacheSeconds { get; set; } = 30;

    /// <summary>
    /// RSA private keys in PEM, oldest first; the last one signs. When empty, keys live in
    /// <c>MONTU_DATA_DIR/keys</c> and one is generated on first start.
    /// </summary>
    public List<SigningKeyOptions> SigningKeys { get; set; } = [];

    public List<ExternalIssuerOptions> ExternalIssuers { get; set; } = [];

    public TimeSpan AccessTokenLifetime => TimeSpan.FromHours(AccessTokenHours);

    public TimeSpan ClockSkew => TimeSpan.FromSeconds(ClockSkewSeconds);

    /// <summary>Binds the section and applies the spec's environment variables on top.</summary>
    public static void FromConfiguration(AuthOptions options, IConfiguration configuration)
    {
        configuration.GetSection("Auth").Bind(options);
        if (double.TryParse(configuration["JWT_EXPIRATION_HOURS"], NumberStyles.Float, CultureInfo.InvariantCulture, out var hours) && hours > 0)
        {
            options.AccessTokenHours = hours;
        }

        var firebaseProject = configuration["FIREBASE_PROJECT_ID"];
        if (!string.IsNullOrWhiteSpace(firebaseProject) && string.Equals(configuration["FIREBASE_AUTH_ENABLED"], "true", StringComparison.OrdinalIgnoreCase))
        {
            options.ExternalIssuers.Add(new ExternalIssuerOptions
            {
                Issuer = $"https://securetoken.google.com/{firebaseProject}",
                Audience = firebaseProject,
                JwksUrl = FirebaseJwksUrl,
                RequireVerifiedEmail = true,
                AutoProvision = string.Equals(configuration["FIREBASE_AUTO_PROVISION"], "true", StringComparison.OrdinalIgnoreCase),
            });
        }
    }
}

public sealed class SigningKeyOptions
{
    /// <summary>The private key itself (<c>-----BEGIN PRIVATE KEY-----</c>, PKCS#8 or PKCS#1).</summary>
    public string? PrivateKeyPem { get; set; }

    /// <summary>A file holding the private key in PEM.</summary>
    public string? PrivateKeyFile { get; set; }
}

/// <summary>An OpenID issuer whose RS256 tokens are accepted (Keycloak, Azure AD, Firebase...).</summary>
public sealed class ExternalIssuerOptions
{
    public string Issuer { get; set; } = "";

    public string Audience { get; set; } = "";

    public string JwksUrl { get; set; } = "";

    /// <summary>The claim holding the user's email, matched against Montu users.</summary>
    public string EmailClaim { get; set; } = "email";

    /// <summary>Create a Montu user, with no project access, for a verified email not yet known.</summary>
    public bool AutoProvision { get; set; }

    /// <summary>Require <c>email_verified: true</c>; an explicit <c>false</c> is always refused.</summary>
    public bool RequireVerifiedEmail { get; set; }
}
