using System.Collections.Concurrent;

namespace Montu.Server.Features.Auth;

/// <summary>
/// The signing keys of configured external issuers, fetched from their JWKS URLs and cached.
/// An unknown <c>kid</c> (the issuer rotated) triggers a refetch, at most once a minute per
/// issuer, so forged kids cannot make the server hammer the issuer.
/// </summary>
public sealed class ExternalKeySets(IHttpClientFactory httpClients, TimeProvider time, ILogger<ExternalKeySets> logger)
{
    public const string HttpClientName = "jwks";
    private static readonly TimeSpan MinimumRefetchInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaximumAge = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, KeySet> _sets = new(StringComparer.Ordinal);

    public async ValueTask<RsaVerifier?> FindAsync(ExternalIssuerOptions issuer, string keyId, CancellationToken ct)
    {
        var set = _sets.GetOrAdd(issuer.JwksUrl, _ => new KeySet());
        var seen = set.Current;
        if (seen.Keys.TryGetValue(keyId, out var verifier) && time.GetUtcNow() - seen.FetchedAt < MaximumAge)
        {
            return verifier;
        }

        await set.Gate.WaitAsync(ct);
        try
        {
            // Another request may have refetched while this one waited.
            if (!ReferenceEquals(seen, set.Current) && set.Current.Keys.TryGetValue(keyId, out verifier))
            {
                return verifier;
            }

            var now = time.GetUtcNow();
            if (set.AttemptedAt is { } attempted && now - attempted < MinimumRefetchInterval)
            {
                return set.Current.Keys.GetValueOrDefault(keyId);
            }

            set.AttemptedAt = now;
            if (await FetchAsync(issuer, ct) is { } fetched)
            {
                set.Current = new Snapshot(fetched, now);
            }

            return set.Current.Keys.GetValueOrDefault(keyId);
        }
        finally
        {
            set.Gate.Release();
        }
    }

    private async Task<Dictionary<string, RsaVerifier>?> FetchAsync(ExternalIssuerOptions issuer, CancellationToken ct)
    {
        try
        {
            var client = httpClients.CreateClient(HttpClientName);
            var document = await client.GetFromJsonAsync<JwksDocument>(issuer.JwksUrl, Jwk.JsonOptions, ct);
            var keys = new Dictionary<string, RsaVerifier>(StringComparer.Ordinal);
            foreach (var jwk in document?.Keys ?? [])
            {
                if (jwk.Kid is { Length: > 0 } kid && jwk.ToVerifier() is { } verifier)
                {
                    keys[kid] = verifier;
                }
            }

            logger.LogInformation("Fetched {Count} signing key(s) of issuer {Issuer}", keys.Count, issuer.Issuer);
            return keys;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or NotSupportedException)
        {
            logger.LogWarning("Could not fetch the signing keys of issuer {Issuer} from {Url}: {Reason}", issuer.Issuer, issuer.JwksUrl, e.Message);
            return null;
        }
    }

    private sealed class KeySet
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>Replaced as a whole, so readers outside the gate never see half an update.</summary>
        public Snapshot Current { get; set; } = new([], DateTimeOffset.MinValue);

        /// <summary>Only touched under <see cref="Gate"/>.</summary>
        public DateTimeOffset? AttemptedAt { get; set; }
    }

    private sealed record Snapshot(Dictionary<string, RsaVerifier> Keys, DateTimeOffset FetchedAt);

    private sealed record JwksDocument(List<Jwk>? Keys);
}
