using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;
using IssuerKeySet = Microsoft.IdentityModel.Tokens.JsonWebKeySet;

namespace Montu.Server.Features.Auth;

/// <summary>
/// The signing keys of configured external issuers, fetched from their JWKS URLs and kept for an
/// hour. An unknown <c>kid</c> (the issuer rotated) triggers a refetch, at most once a minute per
/// JWKS URL, so forged kids cannot make the server hammer the issuer. The library reads the JWKS;
/// fetching and refetching stay here because they follow the injected <see cref="TimeProvider"/>
/// and wait for the new keys, which the library's configuration manager does not.
/// </summary>
public sealed class ExternalKeySets(IHttpClientFactory httpClients, TimeProvider time, ILogger<ExternalKeySets> logger)
{
    public const string HttpClientName = "jwks";
    private static readonly TimeSpan MinimumRefetchInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaximumAge = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, KeySet> _sets = new(StringComparer.Ordinal);

    /// <summary>The keys named <paramref name="keyId"/> in the issuer's last JWKS; none before the first fetch or once it is too old.</summary>
    public IEnumerable<SecurityKey> Find(ExternalIssuerOptions issuer, string keyId)
    {
        if (!_sets.TryGetValue(issuer.JwksUrl, out var set))
        {
            return [];
        }

        var snapshot = set.Current;
        return snapshot.UsableUntil > time.GetUtcNow() ? snapshot.Keys[keyId] : [];
    }

    /// <summary>Fetches the issuer's JWKS again unless that was tried in the last minute; true when the key is known afterwards.</summary>
    public async Task<bool> RefetchAsync(ExternalIssuerOptions issuer, string keyId)
    {
        var set = _sets.GetOrAdd(issuer.JwksUrl, _ => new KeySet());
        await set.Gate.WaitAsync();
        try
        {
            // Another request may have refetched while this one waited.
            if (Find(issuer, keyId).Any())
            {
                return true;
            }

            var now = time.GetUtcNow();
            if (set.AttemptedAt is { } attempted && now - attempted < MinimumRefetchInterval)
            {
                return false;
            }

            set.AttemptedAt = now;
            set.Current = await FetchAsync(issuer) is { } keys
                ? new Snapshot(keys, now + MaximumAge)
                // While the issuer is unreachable the keys already known stay in use, tried again in a minute.
                : set.Current with { UsableUntil = now + MinimumRefetchInterval };
            return Find(issuer, keyId).Any();
        }
        finally
        {
            set.Gate.Release();
        }
    }

    // No request's cancellation: the fetch serves every request waiting for these keys; the client's timeout bounds it.
    private async Task<ILookup<string, SecurityKey>?> FetchAsync(ExternalIssuerOptions issuer)
    {
        try
        {
            var json = await httpClients.CreateClient(HttpClientName).GetStringAsync(issuer.JwksUrl);
            var keys = new IssuerKeySet(json).GetSigningKeys()
                .Where(k => k.KeyId is { Length: > 0 } && k.KeySize >= SigningKeys.KeySizeBits)
                .ToLookup(k => k.KeyId, StringComparer.Ordinal);
            logger.LogInformation("Fetched {Count} signing key(s) of issuer {Issuer}", keys.Count, issuer.Issuer);
            return keys;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ArgumentException)
        {
            logger.LogWarning("Could not fetch the signing keys of issuer {Issuer} from {Url}: {Reason}", issuer.Issuer, issuer.JwksUrl, e.Message);
            return null;
        }
    }

    private sealed class KeySet
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>Replaced as a whole, so readers outside the gate never see half an update.</summary>
        public Snapshot Current { get; set; } = new(Array.Empty<SecurityKey>().ToLookup(k => k.KeyId), DateTimeOffset.MinValue);

        /// <summary>Only touched under <see cref="Gate"/>.</summary>
        public DateTimeOffset? AttemptedAt { get; set; }
    }

    private sealed record Snapshot(ILookup<string, SecurityKey> Keys, DateTimeOffset UsableUntil);
}
