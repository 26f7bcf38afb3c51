using Dapper;
using Montu.Server.Data;
using Montu.Server.Features.Demo;
using Montu.Server.Features.Monitoring;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.OpenApi;
using Montu.Server.Infrastructure.WireFormat;

var builder = WebApplication.CreateBuilder(DemoSeeder.ExpandFlag(args));
builder.AddMontuHosting();

DefaultTypeMap.MatchNamesWithUnderscores = true;
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => new Db(DatabaseSettings.From(sp.GetRequiredService<IConfiguration>())));
builder.Services.AddSingleton<Migrator>();
builder.Services.AddSingleton<EventLog>();
builder.Services.AddSingleton<ProjectQueries>();
builder.Services.AddSingleton<ProjectStatistics>();
builder.Services.AddSingleton<TaskQueries>();
builder.Services.AddSingleton<TaskWriter>();
builder.Services.AddSingleton<TaskBulkWriter>();
builder.Services.AddSingleton<DemoSeeder>();
builder.Services.Configure<LegacyShapeOptions>(builder.Configuration.GetSection("LegacyShape"));
builder.Services.ConfigureHttpJsonOptions(o => WireJson.Configure(o.SerializerOptions));
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddSystemMonitoring();
builder.Services.AddMontuOpenApi();

var app = builder.Build();
await app.Services.GetRequiredService<Migrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
await app.SeedDemoIfRequestedAsync();

app.UseRequestMetrics();
app.UseRequestIds();
app.UseLegacyShape();
app.UseErrorEnvelope();

var api = app.MapGroup("/api/v1").AddEndpointFilter<LegacyShapeFilter>();
api.MapProjectsApi();
api.MapTasksApi();
api.MapSystemApi(app);
app.MapApiDocs();

await app.RunAsync();

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
