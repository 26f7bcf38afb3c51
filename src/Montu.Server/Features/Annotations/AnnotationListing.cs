using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Annotations;

/// <summary>Reads the filters of <c>GET /annotations</c> and its export, each bad value reported under its own name.</summary>
public static class AnnotationListing
{
    /// <summary>The <c>parent_id</c> that asks for first notes only.</summary>
    public const string NoParent = "none";

    /// <summary>The statuses listed when none is asked for.</summary>
    public static readonly IReadOnlyList<string> NotArchived = [AnnotationRules.Active, AnnotationRules.Resolved];

    public static AnnotationFilters Filters(AnnotationsApi.FilterQuery query, ValidationProblems problems)
    {
        var from = QueryValues.Long(query.FrameFrom, "frame_from", -InputLimits.MaxFrame, problems);
        var to = QueryValues.Long(query.FrameTo, "frame_to", -InputLimits.MaxFrame, problems);
        if (from > to)
        {
            problems.Add("frame_to", "'frame_to' must not be before 'frame_from'", ErrorCodes.OutOfRange);
        }

        var status = QueryValues.OneOf(QueryValues.Text(query.Status), "status", AnnotationRules.Statuses, problems);
        return new()
        {
            MediaId = QueryValues.Text(query.MediaId),
            TaskId = QueryValues.Text(query.TaskId),
            ProjectId = QueryValues.Text(query.ProjectId),
            Author = QueryValues.Text(query.Author),
            AnnotationType = QueryValues.OneOf(QueryValues.Text(query.AnnotationType), "annotation_type", AnnotationRules.Types, problems),
            Status = status is null ? NotArchived : [status],
            Frame = QueryValues.Long(query.Frame, "frame", -InputLimits.MaxFrame, problems),
            FrameFrom = from,
            FrameTo = to,
            ParentId = QueryValues.Text(query.ParentId),
            UpdatedSince = QueryValues.Timestamp(query.UpdatedSince, "updated_since", problems),
        };
    }
}
