using System.Globalization;
using System.Text;

namespace Montu.Server.Tests.Features.Observability;

/// <summary>One sample of a Prometheus text exposition: its name, labels and value.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public bool Has(params (string Name, string Value)[] labels) => labels.All(l => Labels.GetValueOrDefault(l.Name) == l.Value);
}

/// <summary>
/// A parser of the text exposition format (version 0.0.4), strict enough that a malformed line
/// fails the test: <c>name{label="value",...} value</c>, comments and blank lines skipped.
/// </summary>
public sealed class Exposition
{
    private Exposition(IReadOnlyList<Sample> samples, IReadOnlyDictionary<string, string> types)
    {
        Samples = samples;
        Types = types;
    }

    public IReadOnlyList<Sample> Samples { get; }

    /// <summary>Each metric family's declared type (<c># TYPE name type</c>).</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public static async Task<Exposition> ScrapeAsync(HttpClient client, string? address = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (address is not null)
        {
            request.Headers.Add(Montu.Server.Tests.Features.Auth.LoginLimitTests.ClientAddress.Header, address);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return Parse(text);
    }

    public static Exposition Parse(string text)
    {
        var samples = new List<Sample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }

            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            samples.Add(ParseSample(line));
        }

        return new Exposition(samples, types);
    }

    public IEnumerable<Sample> Named(string name) => Samples.Where(s => s.Name == name);

    /// <summary>The value of the one sample of <paramref name="name"/> with these labels, or null when there is none.</summary>
    public double? Value(string name, params (string Name, string Value)[] labels) =>
        Named(name).SingleOrDefault(s => s.Has(labels))?.Value;

    private static Sample ParseSample(string line)
    {
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or ':'))
        {
            i++;
        }

        var name = line[..i];
        Assert.False(name.Length == 0, $"no metric name in '{line}'");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var equals = line.IndexOf('=', i);
                var label = line[i..equals];
                Assert.Equal('"', line[equals + 1]);
                var value = new StringBuilder();
                i = equals + 2;
                for (; line[i] != '"'; i++)
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] == 'n' ? '\n' : line[i]);
                    }
                    else
                    {
                        value.Append(line[i]);
                    }
                }

                labels[label] = value.ToString();
                i++;
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++;
        }

        Assert.Equal(' ', line[i]);
        var rest = line[(i + 1)..].Split(' ');
        var number = rest[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(name, labels, number);
    }
}
