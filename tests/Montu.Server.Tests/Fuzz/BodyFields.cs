using System.Text.Json;
using System.Text.Json.Nodes;

namespace Montu.Server.Tests.Fuzz;

/// <summary>
/// Addresses the values of a request body: every value it holds, and every field its schema
/// knows that it leaves out, each with its path (<c>data.status</c>, <c>taskIds[0]</c>).
/// </summary>
public static class BodyFields
{
    /// <summary>One value of the body, or one field its schema knows and the body leaves out.</summary>
    public sealed record Target(IReadOnlyList<object> Path, ApiSchema? Schema, JsonNode? Value, bool Present)
    {
        public string Name => Path.Count == 0 ? "body" : string.Concat(Path.Select((s, i) => s is int n ? $"[{n}]" : i == 0 ? $"{s}" : $".{s}"));

        /// <summary>The name of the field holding the value: its own, or its list's for a list item.</summary>
        public string Field => Path.OfType<string>().LastOrDefault() ?? "body";

        public string? Type => Schema?.Type ?? Value?.GetValueKind() switch
        {
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => null,
        };
    }

    /// <summary>The body and every object, list and value in it.</summary>
    public static IEnumerable<JsonNode> Nodes(JsonNode node) => node switch
    {
        JsonObject o => o.Select(p => p.Value).OfType<JsonNode>().SelectMany(Nodes).Prepend(node),
        JsonArray a => a.OfType<JsonNode>().SelectMany(Nodes).Prepend(node),
        _ => [node],
    };

    public static List<Target> Targets(JsonNode? body, ApiSchema? schema)
    {
        var targets = new List<Target>();
        Walk(body, schema, [], targets);
        return targets.Count == 0 ? [new Target([], schema, body, body is not null)] : targets;
    }

    private static void Walk(JsonNode? node, ApiSchema? schema, IReadOnlyList<object> path, List<Target> targets)
    {
        if (node is JsonObject body)
        {
            foreach (var (name, value) in body)
            {
                var property = schema?.Property(name);
                targets.Add(new([.. path, name], property, value, true));
                Walk(value, property, [.. path, name], targets);
            }

            foreach (var (name, property) in schema?.Properties ?? [])
            {
                if (!body.ContainsKey(name))
                {
                    targets.Add(new([.. path, name], property, null, false));
                }
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                targets.Add(new([.. path, i], schema?.Items, array[i], true));
                Walk(array[i], schema?.Items, [.. path, i], targets);
            }
        }
    }

    public static JsonNode? Set(JsonNode? body, IReadOnlyList<object> path, JsonNode? value)
    {
        if (path.Count == 0)
        {
            return value;
        }

        switch (Parent(body!, path), path[^1])
        {
            case (JsonObject o, string name):
                o[name] = value;
                break;
            case (JsonArray a, int index):
                a[index] = value;
                break;
        }

        return body;
    }

    public static void Remove(JsonNode body, IReadOnlyList<object> path)
    {
        switch (Parent(body, path), path[^1])
        {
            case (JsonObject o, string name):
                o.Remove(name);
                break;
            case (JsonArray a, int index):
                a.RemoveAt(index);
                break;
        }
    }

    private static JsonNode Parent(JsonNode body, IReadOnlyList<object> path) =>
        path.SkipLast(1).Aggregate(body, (node, segment) => segment is int i ? node[i]! : node[(string)segment]!);
}
