using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.JsonWebTokens;
using Montu.Server.Features.Auth;
using Montu.Server.Features.Media;
using Montu.Server.Features.Observability;
using Montu.Server.Features.Projects;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Jobs;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Realtime;

/// <summary>
/// The WebSocket channels (<c>/ws/...</c>): authenticated and authorised like any request before
/// the upgrade, then fed from the event log by <see cref="EventFanOut"/> and run by
/// <see cref="ChannelSession"/>.
/// </summary>
public static class RealtimeApi
{
    public const string SinceParameter = "since";

    public static IServiceCollection AddMontuRealtime(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RealtimeOptions>(configuration.GetSection("Realtime"));
        services.Configure<EventOptions>(configuration.GetSection("Events"));
        services.AddSingleton<EventPruning>();
        services.AddSingleton<IJobHandler>(sp => sp.GetRequiredService<EventPruning>());
        services.AddSingleton<EventQueries>();
        services.AddSingleton<SocketTokens>();
        services.AddSingleton<ChannelSession>();
        services.AddSingleton<EventFanOut>();
        services.AddHostedService(sp => sp.GetRequiredService<EventFanOut>());
        return services;
    }

    public static void MapRealtimeApi(this WebApplication app)
    {
        var ws = app.MapGroup("/ws").WithTags("Real time");
        ws.MapGet("/tasks/{projectId}", (HttpContext context, string projectId) => ConnectToProjectAsync(context, new ChannelScope(ChannelKind.Tasks, projectId)))
            .WithName("TaskChannel").RequireProject(ProjectPermission.Read)
            .WithSummary("WebSocket: the task events of a project (created, updated, bulk updated, archived, restored)").DocumentsSocket();
        ws.MapGet("/media/{projectId}", (HttpContext context, string projectId) => ConnectToProjectAsync(context, new ChannelScope(ChannelKind.Media, projectId)))
            .WithName("MediaChannel").RequireProject(ProjectPermission.Read)
            .WithSummary("WebSocket: the media events of a project (uploaded, updated, processed, approved, deleted)").DocumentsSocket();
        ws.MapGet("/projects/{projectId}", (HttpContext context, string projectId) => ConnectToProjectAsync(context, new ChannelScope(ChannelKind.Projects, projectId)))
            .WithName("ProjectChannel").RequireProject(ProjectPermission.Read)
            .WithSummary("WebSocket: every event of a project").DocumentsSocket();
        ws.MapGet("/annotations/{mediaOrProjectId}", ConnectToAnnotationsAsync)
            .WithName("AnnotationChannel").RequireProject(ProjectPermission.Read, resolvedBy: MediaOrProject)
            .WithSummary("WebSocket: the annotation events of one media version (id = media id) or of a whole project (id = project id)").DocumentsSocket();
        ws.MapGet("/notifications/{userId}", ConnectToNotificationsAsync)
            .WithName("NotificationChannel").RequireSignedIn()
            .WithSummary("WebSocket: your own notifications (another user's id is 404)").DocumentsSocket();
    }

    private static readonly ProjectResolver MediaOrProject = ProjectResolver.FromLookup<IServiceProvider>("mediaOrProjectId", "Media or project", async (services, id, ct) =>
        await services.GetRequiredService<ProjectQueries>().FindAsync(id, ct) is not null ? id : await services.GetRequiredService<MediaQueries>().ProjectIdOfAsync(id, ct));

    private static async Task<Results<EmptyHttpResult, ApiError>> ConnectToProjectAsync(HttpContext context, ChannelScope scope)
    {
        // A server admin passes the access check for any id; the project must still exist.
        var projects = context.RequestServices.GetRequiredService<ProjectQueries>();
        return await projects.FindAsync(scope.ProjectId!, context.RequestAborted) is null
            ? ApiError.NotFound($"Project {Quote.Of(scope.ProjectId)} not found")
            : await ConnectAsync(context, scope);
    }

    private static async Task<Results<EmptyHttpResult, ApiError>> ConnectToAnnotationsAsync(
        HttpContext context, string mediaOrProjectId, ProjectQueries projects, MediaQueries media, CancellationToken ct)
    {
        if (await projects.FindAsync(mediaOrProjectId, ct) is not null)
        {
            return await ConnectAsync(context, new ChannelScope(ChannelKind.Annotations, mediaOrProjectId));
        }

        return await media.ProjectIdOfAsync(mediaOrProjectId, ct) is { } projectId
            ? await ConnectAsync(context, new ChannelScope(ChannelKind.Annotations, projectId, MediaId: mediaOrProjectId))
            : ApiError.NotFound($"Media or project {Quote.Of(mediaOrProjectId)} not found");
    }

    private static Task<Results<EmptyHttpResult, ApiError>> ConnectToNotificationsAsync(HttpContext context, string userId, Caller caller) =>
        userId == caller.UserId
            ? ConnectAsync(context, new ChannelScope(ChannelKind.Notifications, null, UserId: userId))
            : Task.FromResult<Results<EmptyHttpResult, ApiError>>(ApiError.NotFound($"No notification channel for user {Quote.Of(userId)}"));

    /// <summary>
    /// Upgrades the request to a socket on <paramref name="scope"/> and runs it until it closes. With
    /// <paramref name="converse"/>, the socket also carries the conversation it makes (which has no
    /// replay, so <c>since</c> is refused).
    /// </summary>
    public static async Task<Results<EmptyHttpResult, ApiError>> ConnectAsync(
        HttpContext context, ChannelScope scope, Func<CancellationToken, ValueTask<ISocketConversation>>? converse = null)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return ApiError.Validation("This is a WebSocket channel: connect with a WebSocket client (Upgrade: websocket)");
        }

        if (SocketOrigins.Refusal(context) is { } refused)
        {
            return refused;
        }

        var problems = new ValidationProblems();
        var since = QueryValues.Long(context.Request.Query[SinceParameter], SinceParameter, 0, problems);
        if (since is not null && converse is not null)
        {
            problems.Add(SinceParameter, "This channel has no replay: leave out 'since', and read what you missed over HTTP");
        }

        if (problems.Any)
        {
            return problems.ToError();
        }

        var services = context.RequestServices;
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RealtimeOptions>>().Value;
        var subProtocol = context.WebSockets.WebSocketRequestedProtocols.Contains(BearerEvents.SubProtocol) ? BearerEvents.SubProtocol : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = subProtocol,
            KeepAliveInterval = options.PingInterval,
            KeepAliveTimeout = options.PingInterval,
        });
        using var open = services.GetRequiredService<MontuMetrics>().SocketOpened(scope.Kind);
        var token = new JsonWebToken(BearerEvents.PresentedToken(context)!);
        using var conversation = converse is null ? null : await converse(context.RequestAborted);
        await services.GetRequiredService<ChannelSession>().RunAsync(
            socket, scope, token, since, LegacyShape.IsRequested(context), context.TraceIdentifier, context.RequestAborted, conversation);
        return TypedResults.Empty;
    }
}
