using System.Reflection;

namespace Montu.Server.Infrastructure;

public static class BuildInfo
{
    /// <summary>
    /// The server's version from the project's <c>Version</c>, without the source revision the SDK
    /// appends after <c>+</c>: clients compare versions, not commits.
    /// </summary>
    public static string Version { get; } =
        (typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];
}
