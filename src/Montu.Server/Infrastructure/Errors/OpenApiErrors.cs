namespace Montu.Server.Infrastructure.Errors;

public static class OpenApiErrors
{
    /// <summary>Declares the error statuses a route can answer with, all in the error envelope.</summary>
    public static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.Produces<ErrorEnvelope>(status, "application/json");
        }

        return builder;
    }
}
