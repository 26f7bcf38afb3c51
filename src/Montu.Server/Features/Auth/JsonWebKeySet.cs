namespace Montu.Server.Features.Auth;

/// <summary>The document of <c>/.well-known/jwks.json</c> (RFC 7517); <see cref="SigningKeys"/> serializes it once at start-up.</summary>
public sealed record JsonWebKeySet(IReadOnlyList<JsonWebKey> Keys);

/// <summary>One RSA public key: type, use, algorithm, key id (RFC 7638 thumbprint), modulus and exponent.</summary>
public sealed record JsonWebKey(string Kty, string Use, string Alg, string Kid, string N, string E);
