using System.Globalization;
using Microsoft.OpenApi;
using Montu.Server.Features.Auth;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.OpenApi;

namespace Montu.Server.Features.Realtime;

/// <summary>How a WebSocket channel appears in the API description: a GET that upgrades (101), its query and its refusals.</summary>
public static class SocketOpenApi
{
    /// <summary>What every event channel carries and answers.</summary>
    public const string EventChannel = """
        Upgrades to a WebSocket that carries events as {"type", "seq", "data"}, in sequence order, each once.
        With since, the events after that sequence come first; then {"type": "ready", "seq"}, then live events.
        A since older than the kept log (or newer than its head) gets {"type": "resync_required", "data": {"oldestSeq"}} and close 4409;
        so does a client that falls 1000 events behind. Client messages: {"type": "ping"} (answered by pong with the latest seq) and
        {"type": "auth", "token"} (a fresh access token for the same user). Closes: 4401 session ended or token expired,
        4403 no longer a member, 4409 resynchronise, 1009 a client message over 64 KiB, 1001 server shutting down.
        """;

    /// <summary>Documents a socket route; <paramref name="replays"/> says whether it takes <c>since</c>.</summary>
    public static RouteHandlerBuilder DocumentsSocket(this RouteHandlerBuilder builder, string description = EventChannel, bool replays = true) => builder
        .Produces(StatusCodes.Status101SwitchingProtocols)
        .ProducesErrors(400, 401, 403, 404)
        .ReadsHeaders(required: false, ApiHeader.Text("Sec-WebSocket-Protocol",
            $"'{BearerEvents.SubProtocol}, <access token>' for browsers, which cannot set Authorization on a socket; the server answers '{BearerEvents.SubProtocol}'", 8192))
        .AddOpenApiOperationTransformer((operation, _, _) =>
        {
            // The handler's empty result is what it returns once the socket has closed, never an answer of its own.
            operation.Responses?.Remove("200");
            operation.Description = description;
            operation.Parameters ??= [];
            if (replays)
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = RealtimeApi.SinceParameter,
                    In = ParameterLocation.Query,
                    Description = "Replay the events after this sequence number (the seq of the last event the client handled) before going live",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0", Maximum = long.MaxValue.ToString(CultureInfo.InvariantCulture) },
                });
            }

            operation.Parameters.Add(new OpenApiParameter
            {
                Name = BearerEvents.QueryToken,
                In = ParameterLocation.Query,
                Description = "The access token, for clients that cannot send the Authorization header (only WebSocket upgrades read it)",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 8192 },
            });
            return Task.CompletedTask;
        });
}
