using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// The JSON settings of the wire (docs/api.md §Wire format). Schema keys are camelCase out and
/// camelCase or snake_case in; dictionary keys are user data and pass through untouched.
/// </summary>
public static class WireJson
{
    public static JsonSerializerOptions Default { get; } = Create(JsonNamingPolicy.CamelCase);

    /// <summary>The v2.0 shape: snake_case schema keys, for clients sending <c>Montu-Version: 2.0</c>.</summary>
    public static JsonSerializerOptions Legacy { get; } = Create(JsonNamingPolicy.SnakeCaseLower);

    public static JsonSerializerOptions For(HttpContext context) => LegacyShape.IsRequested(context) ? Legacy : Default;

    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        // Responses are application/json, never inlined into HTML: keep quotes and accents readable.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AcceptSnakeCaseNames, RefuseUnstorableText } };
        options.Converters.Add(new UtcDateTimeConverter());
    }

    /// <summary>
    /// The snake_case names <see cref="AcceptSnakeCaseNames"/> added to <paramref name="info"/>:
    /// they bind input but are never written, so the API description leaves them out.
    /// </summary>
    public static IReadOnlyList<string> InputAliases(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return [];
        }

        var written = info.Properties.Where(p => p.Get is not null).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var aliases = written.Select(JsonNamingPolicy.SnakeCaseLower.ConvertName).Except(written, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        return info.Properties.Where(p => p.Get is null && aliases.Contains(p.Name)).Select(p => p.Name).ToList();
    }

    private static JsonSerializerOptions Create(JsonNamingPolicy naming)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.PropertyNamingPolicy = naming;
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>
    /// Checks every text a request sets on a schema property (strings, lists of them, maps of
    /// them) for U+0000, which PostgreSQL cannot store (see <see cref="JsonText"/>). Done on the
    /// setter rather than with a string converter, which would hide the properties' types from the
    /// API description.
    /// </summary>
    private static void RefuseUnstorableText(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || info.Type.Namespace?.StartsWith("Montu.", StringComparison.Ordinal) != true)
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            if (property.Set is { } set && JsonText.CarriesText(property.PropertyType))
            {
                property.Set = (target, value) => set(target, JsonText.Storable(value));
            }
        }
    }

    /// <summary>
    /// Gives every settable schema property a second, read-only-for-input name in snake_case,
    /// so <c>projectId</c> and <c>project_id</c> both bind. The alias is never written.
    /// </summary>
    private static void AcceptSnakeCaseNames(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || info.Type.Namespace?.StartsWith("Montu.", StringComparison.Ordinal) != true)
        {
            return;
        }

        var taken = info.Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var property in info.Properties.ToList())
        {
            if (property.Set is null)
            {
                continue;
            }

            var alias = JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);
            if (!taken.Add(alias))
            {
                continue;
            }

            var aliasInfo = info.CreateJsonPropertyInfo(property.PropertyType, alias);
            aliasInfo.Set = property.Set;
            aliasInfo.CustomConverter = property.CustomConverter;
            info.Properties.Add(aliasInfo);
        }
    }
}
