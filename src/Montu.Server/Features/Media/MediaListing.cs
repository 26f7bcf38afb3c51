using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Media;

/// <summary>Reads the filters of <c>GET /media</c>, each bad value reported under its own name.</summary>
public static class MediaListing
{
    private static readonly string[] MediaTypes = [ContentSniffer.Image, ContentSniffer.Video, ContentSniffer.Audio, ContentSniffer.Document, ContentSniffer.Other];

    public static MediaFilters Filters(MediaApi.ListQuery query, ValidationProblems problems) => new()
    {
        ProjectId = QueryValues.Text(query.ProjectId),
        TaskId = QueryValues.Text(query.TaskId),
        MediaType = QueryValues.OneOf(QueryValues.Text(query.MediaType), "media_type", MediaTypes, problems),
        FileType = QueryValues.Text(query.FileType) is { } type ? "." + type.TrimStart('.').ToLowerInvariant() : null,
        Author = QueryValues.Text(query.Author),
        ApprovalStatus = QueryValues.OneOf(QueryValues.Text(query.ApprovalStatus), "approval_status", MediaRules.ApprovalStatuses, problems),
        Tags = QueryValues.Text(query.Tags) is { } tags ? MediaRules.ParseTags([tags], problems) : null,
        Version = QueryValues.Text(query.Version) is { } version && MediaRules.ParseVersion(version, problems) is { } number ? MediaRules.VersionName(number) : null,
        Search = QueryValues.Text(query.Search),
        CreatedSince = QueryValues.Timestamp(query.CreatedSince, "created_since", problems),
    };
}
