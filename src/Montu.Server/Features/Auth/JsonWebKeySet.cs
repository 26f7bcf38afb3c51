namespace Montu.Server.Features.Auth;

/// <summary>The shape of <c>/.well-known/jwks.json</c> (RFC 7517), for the OpenAPI document; the bytes are prebuilt by <see cref="SigningKeys"/>.</summary>
public sealed record JsonWebKeySet(IReadOnlyList<JsonWebKey> Keys);

/// <summary>One RSA public key: type, use, algorithm, key id (RFC 7638 thumbprint), modulus and exponent.</summary>
public sealed record JsonWebKey(string Kty, string Use, string Alg, string Kid, string N, string E);
