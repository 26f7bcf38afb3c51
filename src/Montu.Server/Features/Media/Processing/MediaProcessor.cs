using System.Globalization;
using Amazon.Runtime;
using Microsoft.Extensions.Options;
using Montu.Server.Data;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Jobs;
using Montu.Server.Infrastructure.Storage;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Media.Processing;

/// <summary>
/// The background job every upload enqueues in its own transaction (kind <c>media_process</c>):
/// probes the file, makes its thumbnail and browser stream, and records them with the
/// <c>media_processed</c> event, ending <c>processing.status</c> as <c>ready</c>, or <c>failed</c> with
/// the reason (a file ffmpeg cannot read, a picture above the pixel limit, the time limit). A
/// run repeated after a crash makes the same files under the same keys.
/// </summary>
public sealed class MediaProcessor(
    Db db, IFileStore store, MediaQueries media, MediaProbe probe, MediaRenditions renditions, EventLog events,
    IOptions<ProcessingOptions> options, IConfiguration configuration, TimeProvider time, ILogger<MediaProcessor> logger) : IJobHandler
{
    public const string JobKind = "media_process";

    private readonly ProcessingOptions _options = options.Value;
    private readonly string _workRoot = Path.Combine(ProcessingOptions.WorkRoot(configuration), "processing");

    public string Kind => JobKind;

    public int Concurrency => _options.Concurrency;

    /// <summary>Past the file's own time limit, so that limit is what ends a slow file, as a failure the media shows.</summary>
    public TimeSpan Timeout => _options.Timeout + TimeSpan.FromMinutes(1);

    /// <summary>The job an upload enqueues.</summary>
    public static NewJob Job(MediaRow row) => new(JobKind, new { mediaId = row.Id }) { ProjectId = row.ProjectId, TaskId = row.TaskId, CreatedBy = row.Author };

    public async Task RunAsync(LeasedJob job, CancellationToken ct)
    {
        var mediaId = job.Params.GetProperty("mediaId").GetString()!;
        if (await media.FindAsync(mediaId, ct) is not { ProcessingStatus: MediaProcessing.PendingStatus } row)
        {
            return;
        }

        if (row.MediaType is not (ContentSniffer.Image or ContentSniffer.Video or ContentSniffer.Audio))
        {
            await FinishAsync(row, new MediaProcessing(MediaProcessing.ReadyStatus, null), [], ct);
            return;
        }

        var made = new List<string>();
        var work = Path.Combine(_workRoot, job.Id);
        Directory.CreateDirectory(work);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(_options.Timeout);
        try
        {
            await WaitForOriginalAsync(row, ct);
            await MakeAsync(row, work, made, limit.Token);
            await FinishAsync(row, new MediaProcessing(MediaProcessing.ReadyStatus, null), made, ct);
        }
        catch (MediaToolException e)
        {
            await FinishAsync(row, new MediaProcessing(MediaProcessing.FailedStatus, e.Message), made, ct);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            await FinishAsync(row, new MediaProcessing(MediaProcessing.FailedStatus,
                string.Create(CultureInfo.InvariantCulture, $"Processing took longer than the limit of {_options.TimeoutSeconds:0.#} s")), made, ct);
        }
        catch (Exception e) when (e is IOException or AmazonServiceException)
        {
            if (job.Attempts + 1 < job.MaxAttempts)
            {
                throw new JobFailedException($"Storage failed while processing media {mediaId}: {e.Message}", retryable: true);
            }

            await FinishAsync(row, new MediaProcessing(MediaProcessing.FailedStatus, "The file could not be read from or written to storage: " + e.Message), made, ct);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The upload commits its row before it moves the bytes to their key; a job that starts in between waits for the move.</summary>
    private async Task WaitForOriginalAsync(MediaRow row, CancellationToken ct)
    {
        for (var wait = 0; await store.FindAsync(row.StorageKey, ct) is null; wait++)
        {
            if (wait == 50)
            {
                throw new JobFailedException($"The file of media {row.Id} is not in storage yet", retryable: true);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
    }

    /// <summary>Probes and makes the derived files, stored under their keys; what it found goes into <paramref name="row"/>.</summary>
    private async Task MakeAsync(MediaRow row, string work, List<string> made, CancellationToken ct)
    {
        var input = store.ProgramInput(row.StorageKey, _options.Timeout + TimeSpan.FromMinutes(5));
        var probed = await probe.ProbeAsync(row, input, ct);
        row.Metadata = StorageJson.Write(probed.Metadata);
        if (probed.Metadata is { Width: { } width, Height: { } height } && (long)width * height > _options.MaxPixels)
        {
            throw new MediaToolException(string.Create(CultureInfo.InvariantCulture,
                $"The picture is {width} × {height} ({(double)width * height / 1e6:0.#} megapixels), above this server's limit of {_options.MaxPixels / 1e6:0.#} megapixels"));
        }

        var thumbnail = Path.Combine(work, "thumbnail.jpg");
        await renditions.ThumbnailAsync(row, probed, input, thumbnail, ct);
        row.ThumbnailKey = await StoreAsync(MediaRules.ThumbnailKey(row.Id, row.FileName), thumbnail, made, ct);

        var stream = Path.Combine(work, "stream" + (row.MediaType == ContentSniffer.Video ? ".mp4" : ".png"));
        row.StreamKey = await renditions.StreamAsync(row, input, stream, ct)
            ? await StoreAsync(MediaRules.StreamKey(row.Id, row.FileName, Path.GetExtension(stream)), stream, made, ct)
            : row.StorageKey;
    }

    private async Task<string> StoreAsync(string key, string file, List<string> made, CancellationToken ct)
    {
        // A repeated run replaces what an interrupted one stored.
        await store.DeleteAsync(key, ct);
        await using (var content = File.OpenRead(file))
        {
            await store.WriteAsync(key, content, ct);
        }

        made.Add(key);
        return key;
    }

    /// <summary>Records the outcome with its event, unless the media was deleted meanwhile: then the files just made go too.</summary>
    private async Task FinishAsync(MediaRow found, MediaProcessing outcome, List<string> made, CancellationToken ct)
    {
        var recorded = await db.InTransactionAsync(async tx =>
        {
            if (await media.FindForUpdateAsync(tx, found.Id, ct) is not { ProcessingStatus: MediaProcessing.PendingStatus } row)
            {
                return false;
            }

            row.Metadata = found.Metadata;
            row.ThumbnailKey = found.ThumbnailKey;
            row.StreamKey = found.StreamKey;
            row.ProcessingStatus = outcome.Status;
            row.ProcessingError = outcome.Error;
            row.Revision++;
            row.UpdatedAt = TaskChanges.Stored(time.GetUtcNow().UtcDateTime);
            var item = row.ToItem();
            await events.AppendAsync(tx, media.Processed(row), new NewEvent("media_processed", row.ProjectId, "media", row.Id,
                new { mediaId = row.Id, processing = outcome, metadata = item.Metadata, thumbnailUrl = item.ThumbnailUrl, revision = row.Revision }, null), ct);
            return true;
        }, ct);

        if (!recorded)
        {
            foreach (var key in made)
            {
                await store.DeleteAsync(key, CancellationToken.None);
            }
        }
        else if (outcome.Error is { } error)
        {
            logger.LogInformation("Media {MediaId} could not be processed: {Reason}", found.Id, error);
        }
    }
}
