using Microsoft.AspNetCore.Http.HttpResults;
using Montu.Server.Features.Media;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Idempotency;
using Montu.Server.Infrastructure.Jobs;
using Montu.Server.Infrastructure.OpenApi;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Features.TaskImport;

public static class TaskImportApi
{
    public static IServiceCollection AddMontuTaskImport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ImportSettings>()
            .Bind(configuration.GetSection(ImportSettings.Section))
            .Validate(o => o.MaxRows > 0 && o.BatchSize is >= 1 and <= 10_000 && o.Concurrency is >= 1 and <= 16,
                "Imports:MaxRows must be above 0, Imports:BatchSize 1 to 10000, Imports:Concurrency 1 to 16")
            .ValidateOnStart();
        return services
            .AddSingleton<TaskImporter>()
            .AddSingleton<ImportJobs>()
            .AddSingleton<IJobHandler, TaskImportJob>();
    }

    public static void MapTaskImportApi(this RouteGroupBuilder api)
    {
        var maxFileSize = ((IEndpointRouteBuilder)api).ServiceProvider.GetRequiredService<MediaOptions>().MaxFileSize;
        var group = api.MapGroup("/tasks").WithTags("Tasks");
        var formProject = ProjectResolver.FromFormField("project_id");
        group.MapPost("/import-csv", ImportCsv).WithName("ImportTasksCsv").RequireProject(ProjectPermission.Write, resolvedBy: formProject)
            .WithSummary("Import tasks from a CSV file (multipart/form-data): each row is checked as POST /tasks or PATCH would check it; answers the report")
            .DocumentsFormBody<ImportForm>().WithBodyLimit(maxFileSize + InputLimits.UploadFieldsBytes).TakesIdempotencyKeys(RequestSameness.StreamedBody)
            .Produces<ImportReport>(200).ProducesErrors(400, 401, 403, 404, 413, 415, 422);
        group.MapPost("/import-csv-async", ImportCsvInBackground).WithName("ImportTasksCsvAsync").RequireProject(ProjectPermission.Write, resolvedBy: formProject)
            .WithSummary("Import tasks from a CSV file in the background (same form); answers 202 with the job id to follow at /tasks/import-status/{jobId}")
            .DocumentsFormBody<ImportForm>().WithBodyLimit(maxFileSize + InputLimits.UploadFieldsBytes).TakesIdempotencyKeys(RequestSameness.StreamedBody)
            .Produces<ImportJobAccepted>(202).ProducesErrors(400, 401, 403, 404, 413, 415, 422);
        group.MapGet("/import-status/{jobId}", GetImportStatus).WithName("GetTaskImportStatus").RequireProject(ProjectPermission.Write, resolvedBy: ImportProject)
            .WithSummary("Where a background import is: status, progress, counts, errors; the report once completed (its starter or a project admin)")
            .Produces<ImportJobStatus>(200).ProducesErrors(401, 403, 404);
        group.MapDelete("/import-status/{jobId}", CancelImport).WithName("CancelTaskImport").RequireProject(ProjectPermission.Write, resolvedBy: ImportProject)
            .WithSummary("Cancel a background import before its next batch; the tasks of rows already committed stay; an ended import stays as it is (its starter or a project admin)")
            .Produces<ImportJobStatus>(200).ProducesErrors(401, 403, 404);
    }

    private static readonly ProjectResolver ImportProject =
        ProjectResolver.FromLookup<ImportJobs>("jobId", "Import job", (imports, id, ct) => imports.ProjectIdOfAsync(id, ct));

    private static async Task<Results<Ok<ImportReport>, ApiError>> ImportCsv(
        HttpRequest request, TaskImporter importer, MediaOptions media, Caller caller, CancellationToken ct)
    {
        var (options, file, invalid) = await ReadFormAsync(request, media, ct);
        if (invalid is not null)
        {
            return invalid;
        }

        var (plan, refused) = await importer.PrepareAsync(options!, _ => Task.FromResult(file!.OpenReadStream()), caller, ct);
        if (refused is not null)
        {
            return refused;
        }

        var tally = new ImportTally();
        await importer.RunAsync(plan!, tally, checkpoint: null, ct);
        return TypedResults.Ok(tally.Report(plan!.Layout.DataRows));
    }

    private static async Task<Results<Accepted<ImportJobAccepted>, ApiError>> ImportCsvInBackground(
        HttpRequest request, TaskImporter importer, ImportJobs imports, IFileStore store, IdGenerator ids, MediaOptions media, Caller caller, CancellationToken ct)
    {
        var (options, file, invalid) = await ReadFormAsync(request, media, ct);
        if (invalid is not null)
        {
            return invalid;
        }

        // Everything that refuses the whole file is answered now, not by a failed job later.
        var (plan, refused) = await importer.PrepareAsync(options!, _ => Task.FromResult(file!.OpenReadStream()), caller, ct);
        if (refused is not null)
        {
            return refused;
        }

        var key = $"imports/{ids.NewId("imp")}.csv";
        await using (var content = file!.OpenReadStream())
        {
            await store.WriteAsync(key, content, ct);
        }

        try
        {
            var jobId = await imports.EnqueueAsync(options!, caller.UserId, key, plan!.Layout.DataRows, ct);
            return TypedResults.Accepted($"/api/v1/tasks/import-status/{jobId}", new ImportJobAccepted(jobId));
        }
        catch
        {
            await store.DeleteAsync(key, CancellationToken.None);
            throw;
        }
    }

    private static async Task<Results<Ok<ImportJobStatus>, ApiError>> GetImportStatus(string jobId, ImportJobs imports, Caller caller, CancellationToken ct)
    {
        if (await imports.FindAsync(jobId, ct) is not { } import)
        {
            return NotFound(jobId);
        }

        return MayFollow(import, caller) ?? (Results<Ok<ImportJobStatus>, ApiError>)TypedResults.Ok(import.ToStatus());
    }

    private static async Task<Results<Ok<ImportJobStatus>, ApiError>> CancelImport(string jobId, ImportJobs imports, IFileStore store, Caller caller, CancellationToken ct)
    {
        if (await imports.FindAsync(jobId, ct) is not { } import)
        {
            return NotFound(jobId);
        }

        if (MayFollow(import, caller) is { } denied)
        {
            return denied;
        }

        // A job no worker started never will: its file goes now. A running one deletes its own when it stops.
        if (await imports.CancelAsync(jobId, caller.UserId, ct) is { JobStatus: "queued" or "leased" } before)
        {
            await store.DeleteAsync(before.FileKey, CancellationToken.None);
        }

        return TypedResults.Ok((await imports.FindAsync(jobId, ct))!.ToStatus());
    }

    /// <summary>An import is followed and cancelled by the user who started it, or an admin of its project.</summary>
    private static ApiError? MayFollow(ImportJobRow import, Caller caller) =>
        import.CreatedBy == caller.UserId || ProjectAccess.Can(caller, import.ProjectId, ProjectPermission.Admin)
            ? null
            : ApiError.Forbidden("Only the user who started the import, or an admin of its project, may follow or cancel it");

    private static ApiError NotFound(string jobId) => ApiError.NotFound($"Import job {Quote.Of(jobId)} not found");

    private static async Task<(ImportOptions? Options, IFormFile? File, ApiError? Error)> ReadFormAsync(HttpRequest request, MediaOptions media, CancellationToken ct)
    {
        var form = await request.ReadFormAsync(ct);
        var problems = new ValidationProblems();
        var options = ImportOptions.Read(form, problems);
        var file = form.Files.GetFile("file");
        if (file is null)
        {
            problems.Required("file");
        }

        if (problems.Any)
        {
            return (null, null, problems.ToError());
        }

        if (file!.Length > media.MaxFileSize)
        {
            return (null, null, new ApiError(StatusCodes.Status413PayloadTooLarge, $"The file is larger than MAX_FILE_SIZE ({media.MaxFileSize} bytes)",
                [new FieldError("file", "The file is too large", ErrorCodes.OutOfRange)]));
        }

        return (options, file, null);
    }
}
