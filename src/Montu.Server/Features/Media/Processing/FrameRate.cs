using System.Globalization;

namespace Montu.Server.Features.Media.Processing;

/// <summary>
/// A frame rate as the file declares it, an exact rational such as 24000/1001. Frame counts and
/// frame times come from it, never from its rounded value (23.976 frames a second drifts a frame
/// every 41 seconds).
/// </summary>
public readonly record struct FrameRate(long Numerator, long Denominator)
{
    /// <summary>ffprobe's <c>"24000/1001"</c>, reduced; null for <c>0/0</c> and anything unusable.</summary>
    public static FrameRate? Parse(string? text)
    {
        var parts = (text ?? "").Split('/');
        if (parts.Length is not (1 or 2)
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var numerator)
            || !long.TryParse(parts.Length == 2 ? parts[1] : "1", NumberStyles.None, CultureInfo.InvariantCulture, out var denominator)
            || numerator <= 0 || denominator <= 0)
        {
            return null;
        }

        var divisor = Gcd(numerator, denominator);
        return new FrameRate(numerator / divisor, denominator / divisor);
    }

    public double Rounded => Math.Round((double)Numerator / Denominator, 3);

    /// <summary>Seconds from the start to where frame <paramref name="index"/> (0-based) begins.</summary>
    public decimal SecondsAt(decimal index) => index * Denominator / Numerator;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Numerator}/{Denominator}");

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);
}
