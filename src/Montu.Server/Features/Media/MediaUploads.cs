using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Storage;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Media;

/// <summary>The media version an upload made, or why it was refused.</summary>
public sealed record UploadOutcome(MediaItem? Media, ApiError? Error)
{
    public static implicit operator UploadOutcome(MediaItem media) => new(media, null);

    public static implicit operator UploadOutcome(ApiError error) => new(null, error);
}

/// <summary>
/// <c>POST /media</c>: a multipart body read once, in order. Fields may come before or after the
/// file; when they come first, access is decided before a byte of the file is stored. The file
/// streams to a temporary object through <see cref="UploadStream"/> (checked, hashed, limited);
/// <see cref="MediaCommit"/> commits its row and event once every byte is stored, then moves it to
/// its key. A crash at any point leaves either nothing visible or a row whose bytes
/// <see cref="UploadSweep"/> moves into place at the next start.
/// </summary>
public sealed class MediaUploads(IFileStore store, MediaCommit commit, IdGenerator ids, MediaOptions options)
{
    private static readonly string[] FieldNames = ["file", "task_id", "project_id", "version", "description", "tags"];

    /// <summary>
    /// How much of the body the multipart reader buffers. Its default, 4 KiB, hands the file on in
    /// 4 KiB reads, each a trip through the request pipe, the hash and the copy to storage: a 2 GiB
    /// upload took 7.9-8.3 s of CPU time against 7.1-7.5 s with 64 KiB, in three alternating pairs
    /// (bench/README.md, "Uploads"). 256 KiB and 1 MiB saved nothing more.
    /// </summary>
    private const int ReadBufferBytes = 64 * 1024;

    public async Task<UploadOutcome> UploadAsync(HttpRequest request, Caller caller, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return new ApiError(StatusCodes.Status415UnsupportedMediaType, "Send the file as multipart/form-data with a 'file' field");
        }

        var form = new UploadForm();
        string? uploadKey = null;
        try
        {
            var reader = new MultipartReader(boundary, request.Body, ReadBufferBytes) { BodyLengthLimit = options.MaxFileSize + 1 };
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (await ReadSectionAsync(section, form, caller, ct) is { } refused)
                {
                    return refused;
                }

                uploadKey ??= form.UploadKey;
            }

            if (form.File is null)
            {
                return ApiError.Validation("Field 'file' is required", new FieldError("file", "Field 'file' is required", ErrorCodes.RequiredField));
            }

            var outcome = form.Target.Check(form.Problems, complete: true) is { } invalid ? invalid
                : form.ProjectId is not null ? null : await AuthorizeAsync(form, caller, ct);
            if (outcome is not null)
            {
                return outcome;
            }

            var draft = new MediaDraft(form.ProjectId!, form.Target.TaskId, form.Version, form.Description, form.Tags);
            var created = await commit.CommitAsync(draft, form.File, caller, alsoInTransaction: null, ct);
            if (created.Error is null)
            {
                uploadKey = null;
            }

            return created;
        }
        catch (UploadRefusedException refused)
        {
            return refused.Error;
        }
        catch (InvalidDataException malformed)
        {
            return ApiError.Validation("The multipart body could not be read: " + malformed.Message,
                new FieldError("body", "The multipart body could not be read", ErrorCodes.MalformedJson));
        }
        finally
        {
            // Whatever stopped the upload short, its bytes go: nothing refused is kept.
            if (uploadKey is not null)
            {
                await store.DeleteAsync(uploadKey, CancellationToken.None);
            }
        }
    }

    /// <summary>One part of the body: a field is read into <paramref name="form"/>, the file is streamed to storage.</summary>
    private async Task<ApiError?> ReadSectionAsync(MultipartSection section, UploadForm form, Caller caller, CancellationToken ct)
    {
        if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
        {
            return ApiError.Validation("Every part of the body must be a form field (Content-Disposition: form-data)");
        }

        var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
        var field = UploadForm.Canonical(name);
        if (!FieldNames.Contains(field))
        {
            return ApiError.Validation(new FieldError(Quote.Name(name),
                $"Unknown field {Quote.Of(name)}{Spelling.Hint(Spelling.Nearest(name, FieldNames))}", ErrorCodes.UnknownField));
        }

        if (field != "file")
        {
            return await form.ReadFieldAsync(field, section.Body, ct);
        }

        if (form.File is not null)
        {
            return ApiError.Validation(new FieldError("file", "One file per upload", ErrorCodes.DuplicateValue));
        }

        if (MediaRules.CleanFileName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value) is not { } fileName)
        {
            return ApiError.Validation(new FieldError("file", "The file part needs a file name (filename=\"...\")", ErrorCodes.RequiredField));
        }

        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (MediaRules.RefuseType(extension, options) is { } refusedType)
        {
            return refusedType;
        }

        // Fields sent before the file decide access now, before its bytes are stored.
        if (form.Target.Check(form.Problems, complete: false) is { } invalid)
        {
            return invalid;
        }

        if (form.Target.IsGiven && await AuthorizeAsync(form, caller, ct) is { } denied)
        {
            return denied;
        }

        var mediaId = ids.NewId("media");
        FileKind? kind = null;
        var upload = new UploadStream(section.Body, options.MaxFileSize, header => (kind = ContentSniffer.Check(fileName, extension, header.Span, out var refused)) is null ? refused : null);
        form.UploadKey = MediaRules.UploadKey(mediaId);
        var size = await store.WriteAsync(form.UploadKey, upload, ct);
        form.File = new StoredUpload(mediaId, fileName, extension, kind!, size, upload.Checksum);
        return null;
    }

    private async Task<ApiError?> AuthorizeAsync(UploadForm form, Caller caller, CancellationToken ct)
    {
        var (projectId, refused) = await commit.AuthorizeAsync(form.Target, caller, ct);
        form.ProjectId = projectId ?? "";
        return refused;
    }

    /// <summary>The fields of one upload as they arrive.</summary>
    private sealed class UploadForm
    {
        private long _fieldBytes;

        public ValidationProblems Problems { get; } = new();

        public UploadTarget Target { get; } = new();

        public int? Version { get; private set; }

        public string Description { get; private set; } = "";

        public List<string> Tags { get; } = [];

        public StoredUpload? File { get; set; }

        public string? UploadKey { get; set; }

        /// <summary>The project the version belongs to, once access was decided.</summary>
        public string? ProjectId { get; set; }

        /// <summary>Form fields may be sent as <c>task_id</c> or <c>taskId</c>, as JSON bodies may.</summary>
        public static string Canonical(string name) => name switch
        {
            "taskId" => "task_id",
            "projectId" => "project_id",
            _ => name,
        };

        private readonly HashSet<string> _given = new(StringComparer.Ordinal);

        public async Task<ApiError?> ReadFieldAsync(string field, Stream body, CancellationToken ct)
        {
            var value = await ReadTextAsync(body, ct);
            if (value is null)
            {
                return new ApiError(StatusCodes.Status413PayloadTooLarge, $"The upload's fields take at most {InputLimits.UploadFieldsBytes} bytes");
            }

            if (value.Contains('\0', StringComparison.Ordinal))
            {
                return ApiError.Validation(new FieldError(field, $"Field '{field}' {JsonText.HoldsNul}", ErrorCodes.InvalidFormat));
            }

            // Only tags may repeat: a second task or project after the file was authorized against the first would go unchecked.
            if (field != "tags" && !_given.Add(field))
            {
                return ApiError.Validation(new FieldError(field, $"Field '{field}' is sent twice; send it once", ErrorCodes.DuplicateValue));
            }

            switch (field)
            {
                case "task_id":
                    Target.TaskId = value.Trim();
                    break;
                case "project_id":
                    Target.ProjectId = value.Trim();
                    break;
                case "version":
                    Version = MediaRules.ParseVersion(value, Problems);
                    break;
                case "description":
                    Problems.MaxLength("description", value, InputLimits.TextLength);
                    Description = value;
                    break;
                default:
                    Tags.AddRange(MediaRules.ParseTags([value], Problems).Where(t => !Tags.Contains(t, StringComparer.Ordinal)));
                    MediaRules.CheckTags(Tags, Problems);
                    break;
            }

            return null;
        }

        private async Task<string?> ReadTextAsync(Stream body, CancellationToken ct)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[4096];
            int read;
            while ((read = await body.ReadAsync(chunk, ct)) > 0)
            {
                _fieldBytes += read;
                if (_fieldBytes > InputLimits.UploadFieldsBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return new UTF8Encoding(false, throwOnInvalidBytes: false).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }
}
