using Montu.Server.Features.Annotations.Rendering;

namespace Montu.Server.Features.Annotations;

/// <summary>A stored drawing as the renderer takes it; drawings are validated before they are stored.</summary>
public static class BurnInShapes
{
    public static IReadOnlyList<BurnInShape> Of(AnnotationDrawing? drawing) =>
        (drawing?.Shapes ?? []).Select(shape => new BurnInShape(
            TypeOf(shape.Type),
            (shape.Points ?? []).Select(p => new NormalisedPoint(p[0], p[1])).ToList(),
            shape.Color,
            shape.Width,
            shape.Text)).ToList();

    private static BurnInShapeType TypeOf(string? type) => type switch
    {
        "stroke" => BurnInShapeType.Stroke,
        "arrow" => BurnInShapeType.Arrow,
        "rect" => BurnInShapeType.Rect,
        "ellipse" => BurnInShapeType.Ellipse,
        "text" => BurnInShapeType.Text,
        _ => throw new InvalidOperationException($"A stored shape has type {type ?? "(none)"}, which is not one the drawing format allows."),
    };
}
