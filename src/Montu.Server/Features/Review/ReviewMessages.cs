using System.Text.Json;
using System.Text.Json.Nodes;
using Montu.Server.Features.Realtime;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Review;

/// <summary>Where the session is: the item shown, its frame, and whether (and how fast) it plays.</summary>
public sealed record PlayState(string ItemId, long Frame, bool Playing, double Rate);

/// <summary>
/// The messages of a live review session: what clients send (read and checked here, so a bad
/// one is refused with a reason) and what the server relays (encoded once for every socket).
/// </summary>
public static class ReviewMessages
{
    public const int NameLength = 100;
    public const double MaxRate = 16;

    public static readonly IReadOnlyList<string> ClientTypes = ["join", "state", "pointer", "handover"];

    public static byte[] Presence(IEnumerable<ReviewParticipant> participants, ReviewParticipant? presenter) => Encode("presence", new JsonObject
    {
        ["users"] = new JsonArray([.. participants.Select(p => (JsonNode)new JsonObject { ["userId"] = p.UserId, ["name"] = p.Name })]),
        ["presenter"] = presenter?.UserId,
    });

    public static byte[] State(PlayState state, ReviewParticipant presenter) => Encode("state", new JsonObject
    {
        ["itemId"] = state.ItemId,
        ["frame"] = state.Frame,
        ["playing"] = state.Playing,
        ["rate"] = state.Rate,
        ["presenter"] = presenter.UserId,
    });

    public static byte[] Pointer(ReviewParticipant from, double x, double y) => Encode("pointer", new JsonObject
    {
        ["userId"] = from.UserId,
        ["name"] = from.Name,
        ["x"] = x,
        ["y"] = y,
    });

    public static string? Name(JsonElement message, out SocketRefusal? refusal)
    {
        refusal = null;
        if (!message.TryGetProperty("name", out var value) || value.ValueKind != JsonValueKind.String
            || value.GetString()!.Trim() is not { Length: > 0 and <= NameLength } name)
        {
            refusal = Invalid($"A join message names you in \"name\": text of 1 to {NameLength} characters");
            return null;
        }

        return name;
    }

    public static PlayState? State(JsonElement message, out SocketRefusal? refusal)
    {
        refusal = null;
        if (!message.TryGetProperty("itemId", out var item) || item.ValueKind != JsonValueKind.String || item.GetString()!.Length is 0 or > 100)
        {
            refusal = Invalid("A state message names the playlist item shown in \"itemId\"");
        }
        else if (!message.TryGetProperty("frame", out var frame) || !frame.TryGetInt64(out var number) || number < 0)
        {
            refusal = Invalid("A state message's \"frame\" is a whole number, 0 or more");
        }
        else if (!message.TryGetProperty("playing", out var playing) || playing.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            refusal = Invalid("A state message's \"playing\" is true or false");
        }
        else if (!message.TryGetProperty("rate", out var rate) || !rate.TryGetDouble(out var speed) || speed == 0 || Math.Abs(speed) > MaxRate)
        {
            refusal = Invalid($"A state message's \"rate\" is a speed from -{MaxRate} to {MaxRate}, not 0 (1 is normal speed, negative plays backwards)");
        }
        else
        {
            return new PlayState(item.GetString()!, number, playing.GetBoolean(), speed);
        }

        return null;
    }

    public static (double X, double Y)? Pointer(JsonElement message, out SocketRefusal? refusal)
    {
        refusal = null;
        if (Fraction(message, "x") is { } x && Fraction(message, "y") is { } y)
        {
            return (x, y);
        }

        refusal = Invalid("A pointer message's \"x\" and \"y\" are fractions of the frame, from 0 to 1");
        return null;
    }

    public static string? HandoverTarget(JsonElement message, out SocketRefusal? refusal)
    {
        refusal = null;
        if (message.TryGetProperty("to", out var to) && to.ValueKind == JsonValueKind.String && to.GetString() is { Length: > 0 } userId)
        {
            return userId;
        }

        refusal = Invalid("A handover message names the next presenter's user id in \"to\"");
        return null;
    }

    public static SocketRefusal Invalid(string message) => new(ErrorCodes.Validation, message);

    private static double? Fraction(JsonElement message, string name) =>
        message.TryGetProperty(name, out var value) && value.TryGetDouble(out var number) && number is >= 0 and <= 1 ? number : null;

    private static byte[] Encode(string type, JsonObject data) =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["type"] = type, ["data"] = data }, WireJson.Default);
}
