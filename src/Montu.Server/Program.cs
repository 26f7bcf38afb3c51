using Dapper;
using Montu.Server.Data;
using Montu.Server.Features.Activity;
using Montu.Server.Features.Analytics;
using Montu.Server.Features.Annotations;
using Montu.Server.Features.Auth;
using Montu.Server.Features.Board;
using Montu.Server.Features.Demo;
using Montu.Server.Features.Directories;
using Montu.Server.Features.Media;
using Montu.Server.Features.Monitoring;
using Montu.Server.Features.Notifications;
using Montu.Server.Features.Observability;
using Montu.Server.Features.Paths;
using Montu.Server.Features.Playlists;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Realtime;
using Montu.Server.Features.Review;
using Montu.Server.Features.TaskExport;
using Montu.Server.Features.TaskImport;
using Montu.Server.Features.Tasks;
using Montu.Server.Features.TaskWorkflow;
using Montu.Server.Features.TimeLogs;
using Montu.Server.Features.Uploads;
using Montu.Server.Features.Users;
using Montu.Server.Features.WorkFiles;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Idempotency;
using Montu.Server.Infrastructure.Jobs;
using Montu.Server.Infrastructure.OpenApi;
using Montu.Server.Infrastructure.Storage;
using Montu.Server.Infrastructure.WireFormat;

// appsettings.json is read from the application's folder, wherever the server is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = DemoSeeder.ExpandFlag(args), ContentRootPath = AppContext.BaseDirectory });
// Demo mode publishes its users' password: it listens on this machine only unless API_HOST says otherwise.
builder.AddMontuHosting(loopbackByDefault: DemoSeeder.IsRequested(builder.Configuration));

DefaultTypeMap.MatchNamesWithUnderscores = true;
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => new Db(DatabaseSettings.From(sp.GetRequiredService<IConfiguration>())));
builder.Services.AddSingleton<Migrator>();
builder.Services.AddSingleton<EventLogHead>();
builder.Services.AddSingleton<EventLog>();
builder.Services.AddHostedService<PostgresEventListener>();
builder.Services.AddSingleton<ProjectQueries>();
builder.Services.AddSingleton<ProjectStatistics>();
builder.Services.AddSingleton<IfMatchRequirements>();
builder.Services.AddSingleton<TaskQueries>();
builder.Services.AddSingleton<TaskReads>();
builder.Services.AddSingleton<TaskCounts>();
builder.Services.AddSingleton<TaskListing>();
builder.Services.AddSingleton<TaskListCache>();
builder.Services.AddSingleton<TaskWriter>();
builder.Services.AddSingleton<TaskBulkWriter>();
builder.Services.AddSingleton<DemoSeeder>().AddSingleton<DemoMedia>();
builder.Services.Configure<LegacyShapeOptions>(builder.Configuration.GetSection("LegacyShape"));
builder.Services.ConfigureHttpJsonOptions(o => WireJson.Configure(o.SerializerOptions));
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddSystemMonitoring();
builder.Services.AddMontuStorage(builder.Configuration);
builder.Services.AddMontuJobs(builder.Configuration);
builder.Services.AddMontuMedia(builder.Configuration);
builder.Services.AddMontuAnnotations();
builder.Services.AddMontuUploads();
builder.Services.AddMontuPlaylists();
builder.Services.AddMontuTaskImport(builder.Configuration);
builder.Services.AddMontuRealtime(builder.Configuration);
builder.Services.AddMontuReviewSessions();
builder.Services.AddMontuPaths();
builder.Services.AddMontuTaskExport();
builder.Services.AddMontuDirectories().AddMontuWorkFiles();
builder.Services.AddMontuTimeLogs();
builder.Services.AddMontuNotifications();
builder.Services.AddMontuActivity();
builder.Services.AddMontuAnalytics();
builder.Services.AddMontuTaskWorkflow();
builder.Services.AddMontuBoard();
builder.Services.AddMontuIdempotency();
builder.Services.AddMontuOpenApi();
builder.Services.AddMontuCors(builder.Configuration);
builder.Services.AddMontuCompression();
builder.AddMontuAuth();
builder.AddMontuObservability();

var app = builder.Build();
await app.Services.GetRequiredService<Migrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
await app.Services.GetRequiredService<TaskQueries>().FillMissingDocumentsAsync(app.Lifetime.ApplicationStopping);
await app.Services.GetRequiredService<UploadSweep>().RunAsync(app.Lifetime.ApplicationStopping);
await app.Services.GetRequiredService<UploadPartSweep>().RunAsync(app.Lifetime.ApplicationStopping);
await app.Services.GetRequiredService<IdempotencySweep>().ScheduleAsync(app.Lifetime.ApplicationStopping);
await app.Services.GetRequiredService<EventPruning>().ScheduleAsync(app.Lifetime.ApplicationStopping);
await app.Services.GetRequiredService<NotificationSweep>().ScheduleAsync(app.Lifetime.ApplicationStopping);
await app.SeedDemoIfRequestedAsync();

// After demo seeding: in demo mode the demo admin is the first admin.
await AdminBootstrap.EnsureAdminAsync(app.Services, app.Lifetime.ApplicationStopping);

app.UseRequestMetrics();
app.UseRequestIds();
app.UseResponseCompression();
app.UseWireEdge();
// After the wire edge: a MessagePack body is routed as the JSON it becomes.
app.UseRouting();
app.UseTusResumableHeader();
app.UseRawPathCheck();
app.UseLegacyShape();
app.UseErrorEnvelope();
app.UseSecurityHeaders();
app.UseMontuCors();
// Before authentication, which reads a socket's token from its subprotocol or query.
app.UseWebSockets();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAccessControl();
app.UseQueryLengthLimit();
app.UseIdempotencyKeys();

var api = app.MapGroup("/api/v1").AddEndpointFilter<LegacyShapeFilter>().RejectUnknownQueryParameters().WithBodyLimit(InputLimits.JsonBodyBytes)
    .TakesIdempotencyKeys();
api.MapAuthApi();
api.MapUsersApi();
api.MapProjectsApi();
api.MapProjectMembersApi();
api.MapTasksApi();
api.MapTaskExportApi();
api.MapTaskImportApi();
api.MapMediaApi();
api.MapAnnotationsApi();
api.MapUploadsApi();
api.MapPlaylistsApi();
api.MapPathsApi();
api.MapDirectoriesApi();
api.MapWorkFilesApi();
api.MapTimeLogsApi();
api.MapNotificationsApi();
api.MapActivityApi();
api.MapTaskWorkflowApi();
api.MapAnalyticsApi();
api.MapBoardApi();
api.MapSystemApi(app);
api.MapChangesApi();
app.MapRealtimeApi();
app.MapReviewSessions();
app.MapJwks();
app.MapMetrics();
app.MapApiDocs();
app.LogWhereToFindIt();

await app.RunAsync();

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
