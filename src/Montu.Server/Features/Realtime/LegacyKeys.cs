using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Montu.Server.Features.Realtime;

/// <summary>
/// The v2.0 snake_case keys for JSON that has no type left to serialise it by (an event's stored
/// payload). Schema keys are camelCase words and are renamed; any other key (a task id keying a
/// bulk change, say) passes as it is, and so does everything inside <c>customFields</c>, which
/// holds the studio's own names, as the HTTP answers keep them.
/// </summary>
public static partial class LegacyKeys
{
    private const string UserData = "customFields";

    public static JsonNode Rename(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                var renamed = new JsonObject();
                foreach (var (key, value) in obj.ToList())
                {
                    obj.Remove(key);
                    renamed[CamelCaseWord().IsMatch(key) ? JsonNamingPolicy.SnakeCaseLower.ConvertName(key) : key] = value is null ? null : key == UserData ? value : Rename(value);
                }

                return renamed;
            case JsonArray array:
                var items = array.ToList();
                array.Clear();
                return new JsonArray([.. items.Select(item => item is null ? null : Rename(item))]);
            default:
                return node;
        }
    }

    [GeneratedRegex("^[a-z]+(?:[A-Z][a-z0-9]*)+$")]
    private static partial Regex CamelCaseWord();
}
