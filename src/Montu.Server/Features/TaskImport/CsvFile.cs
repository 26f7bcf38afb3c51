using System.Globalization;
using System.Text;
using CsvHelper;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.TaskImport;

/// <summary>One record of the file: its row as a spreadsheet numbers it (the header is row 1) and its cells.</summary>
public sealed record CsvRecord(int Row, string[] Cells)
{
    /// <summary>An empty line: skipped, and not counted among the rows, though it keeps its number.</summary>
    public bool IsBlank => Cells.Length == 1 && Cells[0].Length == 0;
}

/// <summary>How a file is written: its encoding, its delimiter, its header and how many data rows follow.</summary>
public sealed record CsvLayout(Encoding Encoding, int BomLength, char Delimiter, string[] Headers, int DataRows);

/// <summary>
/// Reads a CSV file the way a spreadsheet saved it. The encoding is UTF-8 (with or without BOM) or
/// UTF-16 with its BOM; bytes that are not valid UTF-8 are refused rather than read as mojibake. The
/// delimiter is the one of <c>,</c> <c>;</c> or tab found most often in the header line, outside
/// quotes. Fields are RFC 4180: quoted fields hold delimiters, quotes (doubled) and line breaks, and
/// a record spanning several lines is one row, as a spreadsheet shows it.
/// </summary>
public static class CsvFile
{
    /// <summary>The longest row read (a quoted cell never closed would otherwise run to the end of the file).</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    private static readonly char[] Delimiters = [',', ';', '\t'];

    /// <summary>Reads the whole file once: its layout, or why it cannot be imported (400).</summary>
    public static async Task<(CsvLayout? Layout, ApiError? Error)> ScanAsync(Func<CancellationToken, Task<Stream>> open, CancellationToken ct)
    {
        var (encoding, bomLength) = await DetectEncodingAsync(open, ct);
        char delimiter;
        await using (var stream = await open(ct))
        {
            using var reader = await ReaderAsync(stream, encoding, bomLength, ct);
            try
            {
                delimiter = DetectDelimiter(await reader.ReadLineAsync(ct) ?? "");
            }
            catch (DecoderFallbackException e)
            {
                return (null, NotText(encoding, e));
            }
        }

        string[]? headers = null;
        var rows = 0;
        try
        {
            await foreach (var record in RecordsAsync(open, encoding, bomLength, delimiter, ct))
            {
                if (headers is null)
                {
                    headers = record.Cells;
                }
                else if (!record.IsBlank)
                {
                    rows++;
                }
            }
        }
        catch (DecoderFallbackException e)
        {
            return (null, NotText(encoding, e));
        }
        catch (CsvFormatException e)
        {
            return (null, ApiError.Validation(new FieldError("file",
                $"Row {e.RecordNumber} cannot be read ({e.Message}); a quote opened in a cell may never be closed", ErrorCodes.InvalidFormat)));
        }

        if (headers is null || (headers.Length == 1 && headers[0].Trim().Length == 0))
        {
            return (null, ApiError.Validation(new FieldError("file", "The file is empty: its first row must name the columns", ErrorCodes.RequiredField)));
        }

        return (new CsvLayout(encoding, bomLength, delimiter, headers, rows), null);
    }

    /// <summary>Every record of the file, the header first, numbered as a spreadsheet numbers rows.</summary>
    public static async IAsyncEnumerable<CsvRecord> RecordsAsync(
        Func<CancellationToken, Task<Stream>> open, Encoding encoding, int bomLength, char delimiter,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var stream = await open(ct);
        using var reader = await ReaderAsync(stream, encoding, bomLength, ct);
        var options = new CsvReaderOptions
        {
            Separator = delimiter,
            Mode = CsvMode.Rfc4180,
            // The header is a record like the others here, so every record's number is its row.
            HasHeader = false,
            // Blank lines are rows of a spreadsheet too: kept, so every later row keeps its number.
            SkipEmptyLines = false,
            AllowLineBreaksInQuotes = true,
            // A quote opened and never closed would otherwise make the rest of the file one record.
            MaxRecordSize = MaxRecordBytes,
        };
        await using var csv = CsvReader.Create(reader, options, leaveOpen: true);
        while (await ReadAsync(csv, ct))
        {
            var cells = new string[csv.FieldCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = csv.GetString(i) ?? "";
            }

            yield return new CsvRecord((int)csv.RowNumber, cells);
        }
    }

    /// <summary>CsvHelper may wrap what the decoder throws; unwrapped, it says the bytes are not text.</summary>
    private static async Task<bool> ReadAsync(CsvReader csv, CancellationToken ct)
    {
        try
        {
            return await csv.ReadAsync(ct);
        }
        catch (CsvFormatException e) when (e.InnerException is DecoderFallbackException invalid)
        {
            throw invalid;
        }
    }

    private static async Task<(Encoding, int BomLength)> DetectEncodingAsync(Func<CancellationToken, Task<Stream>> open, CancellationToken ct)
    {
        var start = new byte[3];
        await using var stream = await open(ct);
        var read = await stream.ReadAtLeastAsync(start, start.Length, throwOnEndOfStream: false, ct);
        return start.AsSpan(0, read) switch
        {
            [0xEF, 0xBB, 0xBF, ..] => (new UTF8Encoding(false, throwOnInvalidBytes: true), 3),
            [0xFF, 0xFE, ..] => (new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true), 2),
            [0xFE, 0xFF, ..] => (new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true), 2),
            _ => (new UTF8Encoding(false, throwOnInvalidBytes: true), 0),
        };
    }

    private static async Task<StreamReader> ReaderAsync(Stream stream, Encoding encoding, int bomLength, CancellationToken ct)
    {
        // The BOM is skipped by hand so the reader never guesses another encoding than the one detected.
        await stream.ReadExactlyAsync(new byte[bomLength], ct);
        return new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
    }

    private static char DetectDelimiter(string header)
    {
        var counts = new int[Delimiters.Length];
        var quoted = false;
        foreach (var c in header)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && Array.IndexOf(Delimiters, c) is var index and >= 0)
            {
                counts[index]++;
            }
        }

        var best = 0;
        for (var i = 1; i < counts.Length; i++)
        {
            if (counts[i] > counts[best])
            {
                best = i;
            }
        }

        return Delimiters[best];
    }

    private static ApiError NotText(Encoding encoding, DecoderFallbackException e)
    {
        var name = encoding is UnicodeEncoding ? "UTF-16" : "UTF-8";
        var where = e.Index >= 0 && e.BytesUnknown is { Length: > 0 } bytes
            ? $" (bytes {string.Join(' ', bytes.Select(b => b.ToString("X2", CultureInfo.InvariantCulture)))})"
            : "";
        var message = $"The file is not valid {name} text{where}: save it as CSV UTF-8 (or UTF-16 with a BOM)";
        return ApiError.Validation(new FieldError("file", message, ErrorCodes.InvalidFormat));
    }
}
