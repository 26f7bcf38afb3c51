using System.Text.Json;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Breakdown;

/// <summary>A row of the <c>breakdown</c> table (migration 0024), with the counts read alongside it.</summary>
public sealed class BreakdownRow
{
    public string Kind { get; set; } = "";

    public string Id { get; set; } = "";

    public string ProjectId { get; set; } = "";

    public string NameKey { get; set; } = "";

    public string? EpisodeKey { get; set; }

    public string? SequenceKey { get; set; }

    public string? ShotKey { get; set; }

    public string? Episode { get; set; }

    public string? Sequence { get; set; }

    public string? Shot { get; set; }

    public string? Name { get; set; }

    public int? CutOrder { get; set; }

    public int? FrameIn { get; set; }

    public int? FrameOut { get; set; }

    public int? Handles { get; set; }

    public double? Fps { get; set; }

    public string? Description { get; set; }

    public string Status { get; set; } = BreakdownRules.Active;

    public string? ThumbnailMediaId { get; set; }

    public string? AssetType { get; set; }

    public string ReferenceMediaIds { get; set; } = "[]";

    public string GenerationProfile { get; set; } = "{}";

    public string CustomFields { get; set; } = "{}";

    public string? CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public int Revision { get; set; } = 1;

    public long TaskCount { get; set; }

    public long ChildCount { get; set; }

    public BreakdownRow Copy() => (BreakdownRow)MemberwiseClone();

    /// <summary>The entity as its collection answers it; <paramref name="casting"/> is a shot's.</summary>
    public BreakdownEntity ToEntity(IReadOnlyList<string>? casting = null)
    {
        var created = DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc);
        var updated = DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc);
        var fields = StorageJson.Read<Dictionary<string, JsonElement>>(CustomFields);
        return Kind switch
        {
            "episode" => new Episode
            {
                Id = Id,
                ProjectId = ProjectId,
                Status = Status,
                Description = Description,
                CustomFields = fields,
                Revision = Revision,
                CreatedAt = created,
                UpdatedAt = updated,
                EpisodeName = Episode!,
                CutOrder = CutOrder,
                SequenceCount = ChildCount,
                TaskCount = TaskCount,
            },
            "sequence" => new Sequence
            {
                Id = Id,
                ProjectId = ProjectId,
                Status = Status,
                Description = Description,
                CustomFields = fields,
                Revision = Revision,
                CreatedAt = created,
                UpdatedAt = updated,
                Episode = Episode!,
                SequenceName = Sequence!,
                CutOrder = CutOrder,
                ShotCount = ChildCount,
                TaskCount = TaskCount,
            },
            "shot" => new Shot
            {
                Id = Id,
                ProjectId = ProjectId,
                Status = Status,
                Description = Description,
                CustomFields = fields,
                Revision = Revision,
                CreatedAt = created,
                UpdatedAt = updated,
                Episode = Episode!,
                Sequence = Sequence!,
                ShotName = Shot!,
                CutOrder = CutOrder,
                FrameIn = FrameIn,
                FrameOut = FrameOut,
                Handles = Handles,
                Fps = Fps is { } fps ? Math.Round((decimal)fps, 3) : null,
                ThumbnailMediaId = ThumbnailMediaId,
                Casting = [.. casting ?? []],
                TaskCount = TaskCount,
            },
            _ => new Asset
            {
                Id = Id,
                ProjectId = ProjectId,
                Status = Status,
                Description = Description,
                CustomFields = fields,
                Revision = Revision,
                CreatedAt = created,
                UpdatedAt = updated,
                Name = Name!,
                AssetType = AssetType ?? BreakdownRules.OtherAssetType,
                ReferenceMediaIds = StorageJson.Read<List<string>>(ReferenceMediaIds),
                GenerationProfile = StorageJson.Read<JsonElement>(GenerationProfile),
                TaskCount = TaskCount,
            },
        };
    }
}
