namespace Montu.Server.Features.Annotations.Rendering;

/// <summary>What a shape of a drawing is.</summary>
public enum BurnInShapeType
{
    Stroke,
    Arrow,
    Rect,
    Ellipse,
    Text,
}

/// <summary>A point in normalised frame coordinates: (0, 0) is the top-left corner, (1, 1) the bottom-right.</summary>
public readonly record struct NormalisedPoint(double X, double Y);

/// <summary>
/// One shape to burn onto a frame. <paramref name="Color"/> is <c>#rrggbb</c> (null: the default red);
/// <paramref name="Width"/> is in pixels of a frame whose longer side is 1920 (null: 3).
/// </summary>
public sealed record BurnInShape(
    BurnInShapeType Type,
    IReadOnlyList<NormalisedPoint> Points,
    string? Color = null,
    double? Width = null,
    string? Text = null);
