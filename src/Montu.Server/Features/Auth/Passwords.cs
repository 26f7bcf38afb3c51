using Microsoft.AspNetCore.Identity;
using Montu.Server.Infrastructure;

namespace Montu.Server.Features.Auth;

/// <summary>
/// Password hashing with the framework's <see cref="PasswordHasher{TUser}"/> (PBKDF2, per-user
/// salt, constant-time comparison). Checking a user that does not exist or has no password
/// still runs one full verification, so response time does not reveal which emails exist.
/// </summary>
public sealed class Passwords
{
    private readonly PasswordHasher<Account> _hasher = new();
    private readonly string _dummyHash;

    public Passwords(IdGenerator ids) => _dummyHash = Hash(Convert.ToBase64String(ids.NewSecret(24)));

    public string Hash(string password) => _hasher.HashPassword(Account.Instance, password);

    /// <summary>Whether <paramref name="password"/> matches; <see cref="PasswordCheck.Rehash"/> when the hash uses outdated parameters.</summary>
    public PasswordCheck Verify(string? hash, string password)
    {
        var result = _hasher.VerifyHashedPassword(Account.Instance, hash ?? _dummyHash, password);
        return hash is null ? PasswordCheck.Wrong : result switch
        {
            PasswordVerificationResult.Success => PasswordCheck.Correct,
            PasswordVerificationResult.SuccessRehashNeeded => PasswordCheck.Rehash,
            _ => PasswordCheck.Wrong,
        };
    }

    /// <summary>The hasher's user type parameter; the hash does not depend on it.</summary>
    private sealed class Account
    {
        public static readonly Account Instance = new();
    }
}

public enum PasswordCheck
{
    Wrong,
    Correct,
    Rehash,
}
