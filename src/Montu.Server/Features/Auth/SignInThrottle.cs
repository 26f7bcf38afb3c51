using System.Net;
using Microsoft.Extensions.Options;
using Montu.Server.Features.Users;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Auth;

/// <summary>
/// Slows password guessing without locking out a studio: only failed attempts count. Each account
/// gets a few free failures, then waits longer after each further one (so guessing one person's
/// password from many machines is slow), and each client address may fail a generous number of
/// times per window (so one machine cannot spray guesses over many accounts). Colleagues signing
/// in from behind one NAT, or one person signing in ten times, are never slowed. Counts live in
/// this process; behind a load balancer each instance counts its own.
/// </summary>
public sealed class SignInThrottle(IOptions<RateLimitOptions> options, TimeProvider time, ILogger<SignInThrottle> logger)
{
    /// <summary>Past this many tracked accounts or addresses, stale entries are dropped, then everything.</summary>
    private const int MaxTracked = 100_000;

    private static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(1);
    private readonly WindowLimit _perAddress = options.Value.Login;
    private readonly AccountLimit _perAccount = options.Value.LoginAccount;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, AccountFailures> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AddressFailures> _addresses = new(StringComparer.Ordinal);

    /// <summary>Null when an attempt for <paramref name="email"/> may go ahead; otherwise the 429 to answer with.</summary>
    public ApiError? Check(HttpContext context, string? email)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_perAddress.PermitLimit > 0 && _addresses.TryGetValue(Address(context), out var address)
                && address.Count >= _perAddress.PermitLimit && now < address.WindowStart + _perAddress.Window)
            {
                return RateLimits.Reject(context, "login-ip", _perAddress, address.WindowStart + _perAddress.Window - now, Address(context));
            }

            if (Account(email) is { } key && _accounts.TryGetValue(key, out var account) && now < account.WaitUntil)
            {
                var limit = new WindowLimit { PermitLimit = _perAccount.FreeFailures, WindowSeconds = _perAccount.MaxDelaySeconds };
                return RateLimits.Reject(context, "login-email", limit, account.WaitUntil - now, key);
            }
        }

        return null;
    }

    /// <summary>The password (or the account) was wrong: counts against the address and the account.</summary>
    public void Failed(HttpContext context, string? email)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var key = Address(context);
            var address = _addresses.GetValueOrDefault(key);
            _addresses[key] = address is not null && now < address.WindowStart + _perAddress.Window
                ? address with { Count = address.Count + 1 }
                : new AddressFailures(now, 1);

            if (Account(email) is { } account)
            {
                var failures = (_accounts.TryGetValue(account, out var known) && now - known.LastFailure < ForgetAfter ? known.Count : 0) + 1;
                _accounts[account] = new AccountFailures(failures, now, now + Delay(failures));
            }

            Bound(now);
        }
    }

    /// <summary>A correct password: the account starts over. The address keeps its count: a success proves nothing about its other attempts.</summary>
    public void Succeeded(string? email)
    {
        if (Account(email) is { } account)
        {
            lock (_lock)
            {
                _accounts.Remove(account);
            }
        }
    }

    private TimeSpan Delay(int failures)
    {
        var beyond = failures - _perAccount.FreeFailures;
        return beyond <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(_perAccount.MaxDelaySeconds, Math.Pow(2, Math.Min(beyond - 1, 30))));
    }

    /// <summary>Behind a reverse proxy, configure forwarded headers so this is the client's address, not the proxy's.</summary>
    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? IPAddress.None.ToString();

    /// <summary>Bounded: the key is whatever the client typed.</summary>
    private static string? Account(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var key = UserRules.EmailKey(email);
        return key.Length > 320 ? key[..320] : key;
    }

    private void Bound(DateTimeOffset now)
    {
        if (_accounts.Count + _addresses.Count <= MaxTracked)
        {
            return;
        }

        foreach (var (key, account) in _accounts.Where(a => now - a.Value.LastFailure >= ForgetAfter && now >= a.Value.WaitUntil).ToList())
        {
            _accounts.Remove(key);
        }

        foreach (var (key, _) in _addresses.Where(a => now >= a.Value.WindowStart + _perAddress.Window).ToList())
        {
            _addresses.Remove(key);
        }

        if (_accounts.Count + _addresses.Count > MaxTracked)
        {
            logger.LogWarning("Over {Count} accounts and addresses failed to sign in within the hour; forgetting them all", MaxTracked);
            _accounts.Clear();
            _addresses.Clear();
        }
    }

    private sealed record AccountFailures(int Count, DateTimeOffset LastFailure, DateTimeOffset WaitUntil);

    private sealed record AddressFailures(DateTimeOffset WindowStart, int Count);
}
