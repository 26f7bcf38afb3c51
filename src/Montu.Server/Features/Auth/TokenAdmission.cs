using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Montu.Server.Infrastructure.Access;

namespace Montu.Server.Features.Auth;

/// <summary>Whether a verified token lets its holder in: a caller, or why not.</summary>
public readonly record struct Admission(Caller? Caller, string? Failure)
{
    public static Admission Refused(string reason) => new(null, reason);
}

/// <summary>
/// Montu's checks on a token the library verified (signature, issuer, audience, lifetime), run on
/// every request because they can change while the token lives: the claims Montu needs, the user
/// behind them (for an external issuer, found by verified email and provisioned when allowed),
/// whether that user is enabled, and whether the token was ended early (logout, revoked session,
/// sessions ended after it was issued).
/// </summary>
public sealed class TokenAdmission(TrustedIssuers issuers, UserAccessCache users, ExternalUsers externalUsers)
{
    public async ValueTask<Admission> AdmitAsync(JsonWebToken token, CancellationToken ct)
    {
        var holder = issuers.External(token.Issuer) is { } external ? await ExternalHolderAsync(token, external, ct) : OwnHolder(token);
        if (holder is null)
        {
            return Admission.Refused("missing claims or no Montu user for them");
        }

        if (await users.GetAsync(holder.UserId, ct) is not { } user)
        {
            return Admission.Refused("unknown user");
        }

        if (user.Disabled)
        {
            return Admission.Refused("user disabled");
        }

        if (holder.IssuedAt is { } issuedAt && user.TokensNotBefore is { } notBefore && issuedAt < notBefore)
        {
            return Admission.Refused("issued before the user's sessions were ended");
        }

        if ((holder.SessionId is not null && user.RevokedSessions.Contains(holder.SessionId)) || user.DeniedTokenIds.Contains(holder.TokenId))
        {
            return Admission.Refused("token revoked");
        }

        return new Admission(new Caller(user, holder.TokenId, holder.SessionId, holder.ProjectId, new DateTimeOffset(token.ValidTo, TimeSpan.Zero)), null);
    }

    private static Holder? OwnHolder(JsonWebToken token) =>
        token.Subject is { Length: > 0 } userId && token.Id is { Length: > 0 } tokenId && token.TryGetPayloadValue<long>("iat", out _)
            ? new Holder(userId, tokenId, Text(token, "sid"), Text(token, "project_id"), token.IssuedAt)
            : null;

    private async ValueTask<Holder?> ExternalHolderAsync(JsonWebToken token, ExternalIssuerOptions issuer, CancellationToken ct)
    {
        var verified = Flag(token, "email_verified");
        if (Text(token, issuer.EmailClaim) is not { Length: > 0 } email || verified == false || (issuer.RequireVerifiedEmail && verified != true))
        {
            return null;
        }

        var userId = await users.FindIdByEmailAsync(email, ct)
            ?? (issuer.AutoProvision ? await externalUsers.ProvisionAsync(email, Text(token, "name"), issuer.Issuer, ct) : null);

        // External issuers may set no jti; a hash of the token identifies it for logout instead.
        var tokenId = "x_" + Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(token.EncodedToken)));
        return userId is null ? null : new Holder(userId, tokenId, null, null, null);
    }

    private static string? Text(JsonWebToken token, string claim) =>
        token.TryGetPayloadValue<object>(claim, out var value) && value is string text ? text : null;

    /// <summary><c>true</c>/<c>false</c>, also as the strings some issuers send; null when absent.</summary>
    private static bool? Flag(JsonWebToken token, string claim) => token.TryGetPayloadValue<object>(claim, out var value) ? value switch
    {
        bool flag => flag,
        string text when bool.TryParse(text, out var parsed) => parsed,
        _ => false,
    } : null;

    /// <summary>Who a token speaks for; <see cref="IssuedAt"/> is null for external tokens.</summary>
    private sealed record Holder(string UserId, string TokenId, string? SessionId, string? ProjectId, DateTime? IssuedAt);
}
