using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Montu.Server.Tests;

/// <summary>
/// Real media files for processing tests, made once per test run with ffmpeg (installed by
/// test.sh), and ffprobe/ffmpeg readings of what the server answers.
/// </summary>
public static class MediaFiles
{
    /// <summary>Frames of <see cref="Clip"/>; frame n is a flat grey of luma <see cref="LumaStep"/> × n.</summary>
    public const int ClipFrames = 48;

    public const int LumaStep = 5;

    private static readonly string[] ExrChannels = ["B", "G", "R"];

    private static readonly string Folder = MakeFolder();
    private static readonly Lazy<byte[]> ClipBytes = new(() => Make("clip.mov",
        "-f", "lavfi", "-i", "color=c=black:s=320x180:r=24000/1001,format=gray,geq=lum='N*5',format=yuv420p", "-f", "lavfi", "-i", "sine=f=440",
        "-frames:v", "48", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-timecode", "01:00:00:00"));

    private static readonly Lazy<byte[]> StillBytes = new(() => Make("still.png", "-f", "lavfi", "-i", "testsrc2=s=1920x1080", "-frames:v", "1"));
    private static readonly Lazy<byte[]> WavBytes = new(() => Make("tone.wav", "-f", "lavfi", "-i", "sine=f=440:d=3"));

    /// <summary>A 24000/1001 fps H.264 QuickTime clip of 48 frames with a sound track and timecode 01:00:00:00.</summary>
    public static byte[] Clip => ClipBytes.Value;

    /// <summary>A 1920 × 1080 PNG.</summary>
    public static byte[] Still => StillBytes.Value;

    /// <summary>Three seconds of a 440 Hz tone, 16-bit PCM.</summary>
    public static byte[] Wav => WavBytes.Value;

    /// <summary>
    /// An uncompressed scanline OpenEXR of <paramref name="width"/> × <paramref name="height"/>
    /// half-float RGB pixels of linear value <paramref name="linear"/>, whose header names the ACES
    /// (AP0) primaries, written by hand since ffmpeg writes no chromaticities.
    /// </summary>
    public static byte[] AcesExr(int width, int height, float linear)
    {
        using var file = new MemoryStream();
        using var w = new BinaryWriter(file);
        w.Write(20000630);
        w.Write(2);
        void Attribute(string name, string type, byte[] value)
        {
            w.Write(Encoding.ASCII.GetBytes(name + "\0" + type + "\0"));
            w.Write(value.Length);
            w.Write(value);
        }

        byte[] Bytes(Action<BinaryWriter> write)
        {
            using var buffer = new MemoryStream();
            using var b = new BinaryWriter(buffer);
            write(b);
            b.Flush();
            return buffer.ToArray();
        }

        Attribute("channels", "chlist", Bytes(b =>
        {
            foreach (var channel in ExrChannels)
            {
                b.Write(Encoding.ASCII.GetBytes(channel + "\0"));
                b.Write(1); // HALF
                b.Write(new byte[4]); // pLinear and reserved
                b.Write(1);
                b.Write(1);
            }

            b.Write((byte)0);
        }));
        Attribute("compression", "compression", [0]);
        var window = Bytes(b => { b.Write(0); b.Write(0); b.Write(width - 1); b.Write(height - 1); });
        Attribute("dataWindow", "box2i", window);
        Attribute("displayWindow", "box2i", window);
        Attribute("lineOrder", "lineOrder", [0]);
        Attribute("pixelAspectRatio", "float", Bytes(b => b.Write(1f)));
        Attribute("screenWindowCenter", "v2f", Bytes(b => { b.Write(0f); b.Write(0f); }));
        Attribute("screenWindowWidth", "float", Bytes(b => b.Write(1f)));
        Attribute("chromaticities", "chromaticities", Bytes(b =>
        {
            foreach (var value in new[] { 0.7347f, 0.2653f, 0f, 1f, 0.0001f, -0.077f, 0.32168f, 0.33767f })
            {
                b.Write(value);
            }
        }));
        w.Write((byte)0);

        var lineBytes = width * 3 * 2;
        var tableEnd = file.Position + (8L * height);
        for (var y = 0; y < height; y++)
        {
            w.Write(tableEnd + ((long)y * (8 + lineBytes)));
        }

        var half = BitConverter.HalfToUInt16Bits((Half)linear);
        for (var y = 0; y < height; y++)
        {
            w.Write(y);
            w.Write(lineBytes);
            for (var i = 0; i < width * 3; i++)
            {
                w.Write(half);
            }
        }

        w.Flush();
        return file.ToArray();
    }

    /// <summary>ffprobe's first video stream of <paramref name="bytes"/>, with packets counted, and its pictures' types in order (a line may add side data after the type).</summary>
    public static (JsonElement Stream, string PictureTypes) ProbeVideo(byte[] bytes)
    {
        var path = Save(bytes, ".bin");
        using var probe = JsonDocument.Parse(Run("ffprobe", "-v", "error", "-count_packets", "-select_streams", "v:0", "-show_streams", "-print_format", "json", path));
        var types = Run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=pict_type", "-of", "csv=p=0", path);
        return (probe.RootElement.GetProperty("streams")[0].Clone(), string.Concat(types.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line => line[0])));
    }

    /// <summary>The width and height of a picture.</summary>
    public static (int Width, int Height) Size(byte[] picture)
    {
        var stream = ProbeVideo(picture).Stream;
        return (stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32());
    }

    /// <summary>The average luma (0–255) of a picture.</summary>
    public static double MeanLuma(byte[] picture)
    {
        var path = Save(picture, ".jpg");
        var said = Run("ffmpeg", "-v", "info", "-nostdin", "-i", path, "-vf", "signalstats,metadata=mode=print:key=lavfi.signalstats.YAVG", "-f", "null", "-");
        var value = said.Split('\n').Select(l => l.Trim()).First(l => l.Contains("YAVG=", StringComparison.Ordinal));
        return double.Parse(value[(value.IndexOf("YAVG=", StringComparison.Ordinal) + 5)..], CultureInfo.InvariantCulture);
    }

    private static string MakeFolder()
    {
        var folder = Directory.CreateTempSubdirectory("montu-media-files-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        return folder;
    }

    private static byte[] Make(string name, params string[] arguments)
    {
        var path = Path.Combine(Folder, name);
        Run("ffmpeg", ["-v", "error", "-nostdin", "-y", .. arguments, path]);
        return File.ReadAllBytes(path);
    }

    private static string Save(byte[] bytes, string extension)
    {
        var path = Path.Combine(Folder, Guid.NewGuid().ToString("N") + extension);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Runs a program; its standard output and error together, or an exception saying what it said.</summary>
    private static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Result + errors : throw new InvalidOperationException($"{program} failed: {errors}");
    }
}
