namespace Montu.Server.Infrastructure.Storage;

/// <summary>
/// What both backends accept as a key: relative, <c>/</c>-separated, with no empty, <c>.</c> or
/// <c>..</c> segment. The server makes keys from sanitised names, so a refused key is a bug, but
/// refusing it keeps a local directory from being left and keeps both backends agreeing.
/// </summary>
public static class StorageKeys
{
    public static string Checked(string key) =>
        IsValid(key) ? key : throw new ArgumentException($"'{key}' is not a storage key", nameof(key));

    public static bool IsValid(string key) =>
        key.Length > 0 && !key.Contains('\\', StringComparison.Ordinal) && key.Split('/').All(part => part is not ("" or "." or ".."));
}
