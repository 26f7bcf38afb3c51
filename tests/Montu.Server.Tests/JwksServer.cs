using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Features.Auth;

namespace Montu.Server.Tests;

/// <summary>
/// A stand-in OpenID issuer: a real Kestrel server on a free loopback port serving the JWKS of
/// keys the test holds, and counting how often it is fetched.
/// </summary>
public sealed class JwksServer : IAsyncDisposable
{
    private readonly List<(string Kid, RSA Key)> _keys = [];
    private WebApplication? _app;
    private int _fetches;

    public string JwksUrl { get; private set; } = "";

    public int Fetches => Volatile.Read(ref _fetches);

    public async Task StartAsync()
    {
        _app = WebApplication.CreateSlimBuilder().Build();
        _app.Urls.Add("http://127.0.0.1:0");
        _app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref _fetches);
            lock (_keys)
            {
                return Results.Json(new { keys = _keys.Select(k => Jwk.FromPublicKey(k.Kid, k.Key)).ToList() }, Jwk.JsonOptions);
            }
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        JwksUrl = address + "/jwks";
    }

    /// <summary>Publishes a new key and returns its id, as an issuer rotating keys does.</summary>
    public (string Kid, RSA Key) AddKey()
    {
        var key = (Kid: "test-" + Guid.NewGuid().ToString("N")[..8], Key: RSA.Create(2048));
        lock (_keys)
        {
            _keys.Add(key);
        }

        return key;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        foreach (var (_, key) in _keys)
        {
            key.Dispose();
        }
    }
}
