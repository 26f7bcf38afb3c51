using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Montu.Server.Features.Auth;

/// <summary>
/// Verifies RS256 signatures with one RSA public key under concurrent requests. .NET does not
/// document an RSA instance as safe for parallel use, so each call rents an imported instance
/// from a small pool instead of sharing one; importing happens only when the pool is empty.
/// </summary>
public sealed class RsaVerifier(RSAParameters publicKey) : IDisposable
{
    private readonly ConcurrentBag<RSA> _pool = [];

    public static RsaVerifier For(RSA key) => new(key.ExportParameters(includePrivateParameters: false));

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (!_pool.TryTake(out var rsa))
        {
            rsa = RSA.Create();
            rsa.ImportParameters(publicKey);
        }

        try
        {
            return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        finally
        {
            _pool.Add(rsa);
        }
    }

    public void Dispose()
    {
        while (_pool.TryTake(out var rsa))
        {
            rsa.Dispose();
        }
    }
}
