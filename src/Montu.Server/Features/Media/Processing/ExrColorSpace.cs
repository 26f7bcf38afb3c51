using System.Buffers.Binary;
using System.Text;

namespace Montu.Server.Features.Media.Processing;

/// <summary>
/// The colour space an OpenEXR file names in its header, which ffprobe does not report: a string
/// attribute such as <c>colorspace</c> or <c>oiio:ColorSpace</c> when the writer left one, else the
/// <c>chromaticities</c> matched against the well-known primaries (ACES AP0, ACEScg AP1, Rec.709,
/// Rec.2020, P3-D65). Null when the header says neither, or names primaries we do not know.
/// </summary>
public static class ExrColorSpace
{
    /// <summary>How much of the file is read: real headers are a few hundred bytes, a header past this is not looked at.</summary>
    public const int HeaderBytes = 64 * 1024;

    private const uint Magic = 20000630;

    private static readonly (string Name, float[] Primaries)[] Known =
    [
        ("ACES", [0.7347f, 0.2653f, 0f, 1f, 0.0001f, -0.077f, 0.32168f, 0.33767f]),
        ("ACEScg", [0.713f, 0.293f, 0.165f, 0.83f, 0.128f, 0.044f, 0.32168f, 0.33767f]),
        ("Rec.709", [0.64f, 0.33f, 0.3f, 0.6f, 0.15f, 0.06f, 0.3127f, 0.329f]),
        ("Rec.2020", [0.708f, 0.292f, 0.17f, 0.797f, 0.131f, 0.046f, 0.3127f, 0.329f]),
        ("P3-D65", [0.68f, 0.32f, 0.265f, 0.69f, 0.15f, 0.06f, 0.3127f, 0.329f]),
    ];

    public static string? Read(ReadOnlySpan<byte> header)
    {
        if (header.Length < 8 || BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic)
        {
            return null;
        }

        string? named = null, matched = null;
        var at = 8;
        while (ReadName(header, ref at) is { Length: > 0 } name && ReadName(header, ref at) is { } type && at + 4 <= header.Length)
        {
            var size = BinaryPrimitives.ReadInt32LittleEndian(header[at..]);
            at += 4;
            if (size < 0 || at + size > header.Length)
            {
                break;
            }

            var value = header.Slice(at, size);
            at += size;
            if (type == "string" && (name.Equals("colorspace", StringComparison.OrdinalIgnoreCase) || name.EndsWith(":colorspace", StringComparison.OrdinalIgnoreCase)))
            {
                named = Encoding.UTF8.GetString(value).Trim('\0', ' ');
            }
            else if (type == "chromaticities" && size == 32)
            {
                matched = Match(value);
            }
        }

        return named is { Length: > 0 } ? named : matched;
    }

    private static string? ReadName(ReadOnlySpan<byte> header, ref int at)
    {
        var end = header[at..].IndexOf((byte)0);
        if (end < 0)
        {
            return null;
        }

        var name = Encoding.ASCII.GetString(header.Slice(at, end));
        at += end + 1;
        return name;
    }

    private static string? Match(ReadOnlySpan<byte> value)
    {
        Span<float> primaries = stackalloc float[8];
        for (var i = 0; i < 8; i++)
        {
            primaries[i] = BinaryPrimitives.ReadSingleLittleEndian(value[(i * 4)..]);
        }

        foreach (var (name, known) in Known)
        {
            var same = true;
            for (var i = 0; i < 8 && same; i++)
            {
                same = Math.Abs(primaries[i] - known[i]) < 0.002f;
            }

            if (same)
            {
                return name;
            }
        }

        return null;
    }
}
