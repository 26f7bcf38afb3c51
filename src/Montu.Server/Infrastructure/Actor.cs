using System.Security.Claims;

namespace Montu.Server.Infrastructure;

public static class Actor
{
    /// <summary>The id of the user making the request, recorded on events; null for the server itself.</summary>
    public static string? UserId(this ClaimsPrincipal user) => user.FindFirstValue("sub");
}
