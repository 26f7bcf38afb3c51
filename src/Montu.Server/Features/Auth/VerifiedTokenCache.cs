using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Montu.Server.Features.Auth;

/// <summary>
/// The bearer handler's token handler: remembers the tokens the library validated, by their exact
/// text, until they expire. A client reuses its access token for an hour, so parsing and the RSA
/// verification run once instead of on every request. Only tokens the library found valid get in,
/// so forgeries cannot fill it; a remembered token past its <c>exp</c> goes back to the library,
/// which refuses it. Montu's per-request checks (<see cref="TokenAdmission"/>) run on every request
/// either way. The validation parameters are fixed at start-up, so a remembered result stays right.
/// </summary>
public sealed class VerifiedTokenCache(TokenHandler library, TimeProvider time, TimeSpan clockSkew, int capacity = VerifiedTokenCache.DefaultCapacity)
    : TokenHandler
{
    /// <summary>
    /// Far above the tokens alive at once in a studio, and about 65 MB when full (a remembered
    /// token holds its text, the parsed token and its claims: about 6.5 KB). A token arriving at a
    /// full cache is validated on every request until others expire.
    /// </summary>
    public const int DefaultCapacity = 10_000;

    private const int PruneEvery = 1_000;
    private readonly ConcurrentDictionary<string, Verified> _verified = new(StringComparer.Ordinal);
    private int _count;
    private int _attempts;

    public int Count => Volatile.Read(ref _count);

    public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters) =>
        _verified.TryGetValue(token, out var verified) && !IsExpired(verified)
            ? Task.FromResult(verified.ToResult())
            : ValidateAndRememberAsync(token, validationParameters);

    private async Task<TokenValidationResult> ValidateAndRememberAsync(string token, TokenValidationParameters validationParameters)
    {
        var result = await library.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is JsonWebToken jwt)
        {
            Remember(token, new Verified(jwt, result.ClaimsIdentity, jwt.ValidTo));
        }

        return result;
    }

    private void Remember(string token, Verified verified)
    {
        // Counted on every attempt, so a full cache still gets pruned.
        if (Interlocked.Increment(ref _attempts) % PruneEvery == 0)
        {
            Prune();
        }

        if (Count < capacity && _verified.TryAdd(token, verified))
        {
            Interlocked.Increment(ref _count);
        }
    }

    private void Prune()
    {
        foreach (var (text, verified) in _verified)
        {
            if (IsExpired(verified) && _verified.TryRemove(text, out _))
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }

    private bool IsExpired(Verified verified) => verified.ExpiresAt < time.GetUtcNow().UtcDateTime - clockSkew;

    private sealed record Verified(JsonWebToken Token, ClaimsIdentity Identity, DateTime ExpiresAt)
    {
        public TokenValidationResult ToResult() => new() { IsValid = true, SecurityToken = Token, ClaimsIdentity = Identity, Issuer = Token.Issuer };
    }
}
