using Montu.Server.Infrastructure.Jobs;

namespace Montu.Server.Features.Uploads;

/// <summary>
/// The job each upload's creation enqueues, due when the upload expires: it removes the upload
/// and whatever bytes it still holds. Removing twice removes nothing more, so the job is safe to repeat.
/// </summary>
public sealed class UploadExpiry(UploadTermination termination) : IJobHandler
{
    public const string JobKind = "upload_expiry";

    public string Kind => JobKind;

    public int Concurrency => 1;

    public TimeSpan Timeout => TimeSpan.FromMinutes(5);

    public static NewJob For(UploadRow upload) => new(JobKind, new { uploadId = upload.Id })
    {
        NotBefore = DateTime.SpecifyKind(upload.ExpiresAt, DateTimeKind.Utc),
        ProjectId = upload.ProjectId,
        CreatedBy = upload.CreatedBy,
    };

    public Task RunAsync(LeasedJob job, CancellationToken ct) =>
        termination.RemoveAsync(job.Params.GetProperty("uploadId").GetString()!);
}
