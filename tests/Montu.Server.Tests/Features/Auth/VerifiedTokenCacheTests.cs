using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Montu.Server.Features.Auth;

namespace Montu.Server.Tests.Features.Auth;

/// <summary>The cache in front of the library, against the library itself, counting what reaches it.</summary>
public sealed class VerifiedTokenCacheTests : IDisposable
{
    private const string KeyId = "server-key";
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    private readonly ManualClock _clock = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly CountingHandler _library = new(new JsonWebTokenHandler());

    [Fact]
    public async Task A_token_whose_signature_fails_is_never_remembered()
    {
        var cache = new VerifiedTokenCache(_library, _clock, Skew);
        using var otherKey = RSA.Create(2048);
        var genuine = Token(_key).Split('.');
        var forged = $"{genuine[0]}.{genuine[1]}.{Token(otherKey).Split('.')[2]}";

        var first = await cache.ValidateTokenAsync(forged, Parameters());
        var second = await cache.ValidateTokenAsync(forged, Parameters());

        Assert.IsType<SecurityTokenInvalidSignatureException>(first.Exception);
        Assert.False(second.IsValid);
        Assert.Equal(2, _library.Calls);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task A_valid_token_reaches_the_library_once()
    {
        var cache = new VerifiedTokenCache(_library, _clock, Skew);
        var token = Token(_key);

        var results = new[] { await cache.ValidateTokenAsync(token, Parameters()), await cache.ValidateTokenAsync(token, Parameters()) };

        Assert.All(results, r => Assert.True(r.IsValid));
        Assert.All(results, r => Assert.Equal(token, ((JsonWebToken)r.SecurityToken).EncodedToken));
        Assert.Equal(1, _library.Calls);
    }

    [Fact]
    public async Task A_remembered_token_past_its_expiry_goes_back_to_the_library_which_refuses_it()
    {
        var cache = new VerifiedTokenCache(_library, _clock, Skew);
        var token = Token(_key);
        Assert.True((await cache.ValidateTokenAsync(token, Parameters())).IsValid);

        _clock.Advance(TimeSpan.FromMinutes(10) + Skew + TimeSpan.FromSeconds(1));
        var late = await cache.ValidateTokenAsync(token, Parameters());

        Assert.IsType<SecurityTokenInvalidLifetimeException>(late.Exception);
        Assert.Equal(2, _library.Calls);
    }

    [Fact]
    public async Task A_full_cache_sends_newcomers_to_the_library_every_time()
    {
        var cache = new VerifiedTokenCache(_library, _clock, Skew, capacity: 1);
        var (first, second) = (Token(_key), Token(_key));

        foreach (var token in new[] { first, first, second, second })
        {
            Assert.True((await cache.ValidateTokenAsync(token, Parameters())).IsValid);
        }

        Assert.Equal(3, _library.Calls);
        Assert.Equal(1, cache.Count);
    }

    public void Dispose() => _key.Dispose();

    private TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = "montu",
        ValidAudience = "montu-api",
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        IssuerSigningKey = new RsaSecurityKey(_key.ExportParameters(false)) { KeyId = KeyId },
        LifetimeValidator = (_, expires, _, _) => expires > _clock.GetUtcNow().UtcDateTime - Skew,
    };

    private string Token(RSA key)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "montu",
            Audience = "montu-api",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["jti"] = Guid.NewGuid().ToString("N") },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    private sealed class CountingHandler(TokenHandler library) : TokenHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref _calls);
            return library.ValidateTokenAsync(token, validationParameters);
        }
    }
}
