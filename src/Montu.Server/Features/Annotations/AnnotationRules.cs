using System.Text.RegularExpressions;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Annotations;

/// <summary>What an annotation may hold: its type, status, position box and drawing.</summary>
public static partial class AnnotationRules
{
    public const string ColorPattern = "^#[0-9a-fA-F]{6}$";

    public const string Active = "active";
    public const string Resolved = "resolved";
    public const string Archived = "archived";

    public static readonly IReadOnlyList<string> Types = ["note", "markup", "approval"];

    public static readonly IReadOnlyList<string> Statuses = [Active, Resolved, Archived];

    public static readonly IReadOnlyList<string> ShapeTypes = ["stroke", "arrow", "rect", "ellipse", "text"];

    [GeneratedRegex(ColorPattern)]
    private static partial Regex Color();

    /// <summary>The box must lie within the picture when its size is known.</summary>
    public static void CheckPosition(AnnotationPosition? position, int? width, int? height, ValidationProblems problems)
    {
        if (position is null)
        {
            return;
        }

        if (position.X is null || position.Y is null)
        {
            problems.Add("position", "A position needs x and y, in the media's pixels", ErrorCodes.RequiredField);
            return;
        }

        void Within(string field, double start, double? size, int? limit, string dimension)
        {
            if (start < 0 || size < 0 || start + (size ?? 0) > (limit ?? InputLimits.MaxPixels))
            {
                problems.Add($"position.{field}", limit is null
                    ? $"'position.{field}' must be between 0 and {InputLimits.MaxPixels}"
                    : $"The media is {limit} pixels {dimension}: 'position.{field}' and its size must stay within it", ErrorCodes.OutOfRange);
            }
        }

        Within("x", position.X.Value, position.Width, width, "wide");
        Within("y", position.Y.Value, position.Height, height, "high");
    }

    /// <summary>Every shape is checked and named by its index, so a client fixes them all at once.</summary>
    public static void CheckDrawing(AnnotationDrawing? drawing, ValidationProblems problems)
    {
        if (drawing is null)
        {
            return;
        }

        var shapes = drawing.Shapes ?? [];
        if (shapes.Count > InputLimits.AnnotationShapes)
        {
            problems.Add("drawing.shapes", $"At most {InputLimits.AnnotationShapes} shapes", ErrorCodes.OutOfRange);
            return;
        }

        var points = 0;
        for (var i = 0; i < shapes.Count; i++)
        {
            var field = $"drawing.shapes[{i}]";
            // JSON null in the list binds despite the type.
            if (shapes[i] is not { } shape)
            {
                problems.Add(field, "A shape is an object with a type and points", ErrorCodes.InvalidValue);
                continue;
            }

            points += shape.Points?.Count ?? 0;
            CheckShape(shape, field, problems);
        }

        if (points > InputLimits.AnnotationPoints)
        {
            problems.Add("drawing.shapes", $"The shapes have {points} points; at most {InputLimits.AnnotationPoints} in one annotation", ErrorCodes.OutOfRange);
        }
    }

    private static void CheckShape(AnnotationShape shape, string field, ValidationProblems problems)
    {
        if (shape.Type is null)
        {
            problems.Add($"{field}.type", $"'{field}.type' is required: one of {string.Join(", ", ShapeTypes)}", ErrorCodes.RequiredField);
            return;
        }

        if (!ShapeTypes.Contains(shape.Type))
        {
            problems.Add($"{field}.type", $"Shape {field[(field.IndexOf('[', StringComparison.Ordinal) + 1)..^1]} has type {Quote.Of(shape.Type)}; shape types are {string.Join(", ", ShapeTypes)}");
            return;
        }

        var points = shape.Points ?? [];
        var (least, most) = shape.Type switch
        {
            "text" => (1, 1),
            "rect" or "ellipse" => (2, 2),
            _ => (2, InputLimits.AnnotationPoints),
        };
        if (points.Count < least || points.Count > most)
        {
            problems.Add($"{field}.points", least == most
                ? $"A {shape.Type} has exactly {least} point{(least == 1 ? "" : "s")}"
                : $"A {shape.Type} has at least {least} points", ErrorCodes.OutOfRange);
        }
        else if (points.FindIndex(p => p is not { Count: 2 } || p.Any(v => !(v >= 0 && v <= 1))) is var bad and >= 0)
        {
            problems.Add($"{field}.points[{bad}]", "A point is [x, y], each from 0 to 1 of the frame", ErrorCodes.OutOfRange);
        }

        if (shape.Color is not null && !Color().IsMatch(shape.Color))
        {
            problems.Add($"{field}.color", "A color is #rrggbb", ErrorCodes.InvalidFormat);
        }

        if (shape.Width is { } width && !(width >= 0.1 && width <= InputLimits.MaxLineWidth))
        {
            problems.Add($"{field}.width", $"A width is from 0.1 to {InputLimits.MaxLineWidth} pixels", ErrorCodes.OutOfRange);
        }

        if (shape.Type == "text" && string.IsNullOrWhiteSpace(shape.Text))
        {
            problems.Add($"{field}.text", "A text shape needs its text", ErrorCodes.RequiredField);
        }
        else if (shape.Type != "text" && shape.Text is not null)
        {
            problems.Add($"{field}.text", "Only a text shape has text");
        }

        problems.MaxLength($"{field}.text", shape.Text, InputLimits.ShapeTextLength);
    }
}
