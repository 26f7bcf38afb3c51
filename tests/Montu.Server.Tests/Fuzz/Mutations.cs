using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Montu.Server.Tests.Fuzz.BodyFields;
using static Montu.Server.Tests.Fuzz.HostileValues;

namespace Montu.Server.Tests.Fuzz;

/// <summary>A named way to break a valid request; <see cref="Make"/> draws its details (which field, which value) from the campaign's random source.</summary>
public sealed record Mutation(string Kind, Func<Random, FuzzRequest> Make);

/// <summary>
/// Every mutation that applies to one operation's valid request sent by one role: hostile values
/// in each body field, fields missing or added, malformed, mistyped and oddly encoded bodies,
/// hostile path and query values, and odd headers.
/// </summary>
public static class Mutations
{
    public static IReadOnlyList<Mutation> For(ValidRequest valid)
    {
        var operation = valid.Operation;
        var mutations = new List<Mutation>();
        if (operation.Body is null)
        {
            mutations.Add(new("unexpected body", r => valid.ToRequest("unexpected body") with
            {
                Body = Encoding.UTF8.GetBytes(r.Pick(OtherShapes)),
                ContentType = "application/json",
            }));
        }
        else if (MultipartMutations.Takes(operation))
        {
            mutations.AddRange(MultipartMutations.For(valid));
        }
        else
        {
            mutations.AddRange(FieldMutations(valid));
            mutations.AddRange(BodyMutations(valid));
        }

        foreach (var parameter in operation.PathParameters)
        {
            var others = ValidRequests.OtherPathValues(parameter, valid.World, valid.Cast, valid.Role);
            mutations.Add(new($"hostile {parameter}", r => PathMutation(valid, parameter, r.Pick(HostilePathValues))));
            mutations.Add(new($"other {parameter}", r => PathMutation(valid, parameter, Uri.EscapeDataString(r.Pick(others)))));
        }

        mutations.AddRange(QueryMutations(valid));
        mutations.AddRange(HeaderMutations(valid));
        return mutations;
    }

    private static IEnumerable<Mutation> FieldMutations(ValidRequest valid)
    {
        foreach (var (kind, value) in FieldValues)
        {
            yield return new(kind, r =>
            {
                var body = valid.NewBody();
                var target = r.Pick(Targets(body, valid.Operation.Body));
                var raw = new RawJson();
                body = Set(body, target.Path, value(r, target, raw));
                return valid.ToRequest($"{kind} in {target.Name}") with { Body = raw.Serialize(body) };
            });
        }

        yield return new("other valid value", r =>
        {
            var body = valid.NewBody();
            var choices = Targets(body, valid.Operation.Body)
                .Select(t => (Target: t, Values: ValidRequests.OtherFieldValues(t.Field, valid.World, valid.Cast, valid.Role)))
                .Where(c => c.Values is not null)
                .ToList();
            if (choices.Count == 0)
            {
                return valid.ToRequest("other valid value (no field has any)");
            }

            var (target, values) = r.Pick(choices);
            var value = r.Pick(values!)();
            body = Set(body, target.Path, value);
            return valid.ToRequest($"{target.Name} = {RawJson.Text(value)}") with { Body = new RawJson().Serialize(body) };
        });

        yield return new("missing field", r =>
        {
            var body = valid.NewBody();
            var present = Targets(body, valid.Operation.Body).Where(t => t.Present).ToList();
            if (present.Count == 0)
            {
                return valid.ToRequest("missing field (none to remove)");
            }

            var target = r.Pick(present);
            Remove(body!, target.Path);
            return valid.ToRequest($"missing {target.Name}") with { Body = new RawJson().Serialize(body) };
        });
    }

    private static IEnumerable<Mutation> BodyMutations(ValidRequest valid)
    {
        yield return ObjectMutation(valid, "extra field", (r, o, _) =>
        {
            var name = r.Pick(ExtraFieldNames);
            o[name] = r.Pick(SimpleValues)();
            return $"extra field '{name}'";
        });
        yield return ObjectMutation(valid, "snake_case twin", (r, o, _) =>
        {
            var camel = o.Select(p => p.Key).Where(k => JsonNamingPolicy.SnakeCaseLower.ConvertName(k) != k).ToList();
            if (camel.Count == 0)
            {
                return "snake_case twin (no camelCase field)";
            }

            var name = r.Pick(camel);
            o[JsonNamingPolicy.SnakeCaseLower.ConvertName(name)] = r.Pick(SimpleValues)();
            return $"snake_case twin of '{name}'";
        });
        yield return ObjectMutation(valid, "duplicate key", (r, o, raw) =>
        {
            var name = o.Count == 0 ? "status" : r.Pick(o.Select(p => p.Key).ToList());
            o[raw.Key(JsonSerializer.Serialize(name))] = r.Pick(SimpleValues)();
            return $"duplicate key '{name}'";
        });
        yield return ObjectMutation(valid, "huge key", (r, o, _) =>
        {
            o[new string('k', HugeLength / 10)] = r.Pick(SimpleValues)();
            return "huge key";
        });
        yield return ObjectMutation(valid, "lone surrogate key", (r, o, raw) =>
        {
            o[raw.Key(r.Pick(LoneSurrogates))] = "x";
            return "lone surrogate key";
        });
        yield return ObjectMutation(valid, "many fields", (_, o, _) =>
        {
            for (var i = 0; i < 500; i++)
            {
                o[$"field{i}"] = i;
            }

            return "500 extra fields";
        });
        yield return new("malformed JSON", r =>
        {
            var text = RawJson.Text(valid.NewBody());
            return WithBody(valid, "malformed JSON", Encoding.UTF8.GetBytes(r.Pick(Malformed)(r, text)));
        });
        yield return new("empty body", _ => WithBody(valid, "empty body", []));
        yield return new("JSON of another shape", r => WithBody(valid, "JSON of another shape", Encoding.UTF8.GetBytes(r.Pick(OtherShapes))));
        yield return new("deep nesting", r => WithBody(valid, "deep nesting", Encoding.UTF8.GetBytes(r.Pick(DeepNesting))));
        yield return new("byte order mark", _ =>
            WithBody(valid, "byte order mark", [0xEF, 0xBB, 0xBF, .. new RawJson().Serialize(valid.NewBody())]));
        yield return new("UTF-16 body", _ => WithBody(valid, "UTF-16 body",
            Encoding.Unicode.GetBytes(RawJson.Text(valid.NewBody())), "application/json; charset=utf-16"));
        yield return new("MessagePack body", _ => WithBody(valid, "MessagePack body", MessagePack(valid), "application/x-msgpack"));
        yield return new("malformed MessagePack", r =>
            WithBody(valid, "malformed MessagePack", r.Pick(MalformedMessagePack)(r, MessagePack(valid)), "application/vnd.msgpack"));
        yield return new("wrong content type", r =>
        {
            var contentType = r.Pick(ContentTypes);
            return valid.ToRequest($"Content-Type {contentType}") with { ContentType = contentType };
        });
        yield return new("no content type", _ => valid.ToRequest("no Content-Type") with { ContentType = null });
    }

    private static IEnumerable<Mutation> QueryMutations(ValidRequest valid)
    {
        var parameters = valid.Operation.QueryParameters;
        if (parameters.Count > 0)
        {
            string Valid(string name) => Uri.EscapeDataString(ValidRequests.QueryValue(valid.Operation, name, valid.World));
            yield return new("hostile query value", r =>
            {
                var name = r.Pick(parameters);
                return valid.ToRequest($"hostile {name}", $"?{name}={r.Pick(HostileQueryValues)}");
            });
            yield return new("valid query value", r =>
            {
                var name = r.Pick(parameters);
                return valid.ToRequest($"valid {name}", $"?{name}={Valid(name)}");
            });
            if (parameters.Contains("cursor"))
            {
                yield return new("forged cursor", r =>
                {
                    var (position, query) = r.Pick(ForgedCursors);
                    return valid.ToRequest($"cursor of {FuzzRequest.Shorten(position, 60)}",
                        $"?cursor={Base64Url.EncodeToString(Encoding.UTF8.GetBytes(position))}{query}");
                });
            }

            yield return new("repeated query parameter", r =>
            {
                var name = r.Pick(parameters);
                return valid.ToRequest($"repeated {name}", $"?{name}={Valid(name)}&{name}={r.Pick(HostileQueryValues)}");
            });
        }

        yield return new("unknown query parameter", r => valid.ToRequest("unknown query parameter", r.Pick(UnknownQueries)));
        yield return new("legacy shape by query", _ => valid.ToRequest("api_version=2.0", "?api_version=2.0"));
    }

    private static IEnumerable<Mutation> HeaderMutations(ValidRequest valid)
    {
        yield return new("legacy shape", _ => WithHeader(valid, "Montu-Version", "2.0"));
        yield return new("client request id", r => WithHeader(valid, "X-Request-Id", r.Pick(RequestIds)));
        yield return new("bad token", r => WithHeader(valid, "Authorization", r.Pick(BadTokens)));
        yield return new("odd accept", r => WithHeader(valid, "Accept", r.Pick(Accepts)));
        yield return new("hostile idempotency key", r => WithHeader(valid, "Idempotency-Key", r.Pick(IdempotencyKeys)));
        yield return new("fresh idempotency key", r => WithHeader(valid, "Idempotency-Key", $"fuzz-{r.Next():x8}"));
        var tus = valid.ToRequest().Headers.Select(h => h.Key).Where(name => name.StartsWith("Upload-", StringComparison.Ordinal)).ToList();
        if (tus.Count > 0)
        {
            yield return new("hostile tus header", r =>
            {
                var request = valid.ToRequest();
                var (name, value) = (r.Pick(tus), r.Pick(TusHeaderValues));
                return request with { Mutation = $"{name}: {FuzzRequest.Shorten(value, 60)}", Headers = [.. request.Headers.Where(h => h.Key != name), new(name, value)] };
            });
        }
    }

    private static byte[] MessagePack(ValidRequest valid) => global::MessagePack.MessagePackSerializer.ConvertFromJson(RawJson.Text(valid.NewBody()));

    private static FuzzRequest PathMutation(ValidRequest valid, string parameter, string encoded) =>
        valid.ToRequest($"{parameter} = {FuzzRequest.Shorten(encoded, 60)}") with { Path = valid.Path(parameter, encoded) };

    private static FuzzRequest WithBody(ValidRequest valid, string mutation, byte[] body, string contentType = "application/json") =>
        valid.ToRequest(mutation) with { Body = body, ContentType = contentType };

    private static FuzzRequest WithHeader(ValidRequest valid, string name, string value) =>
        valid.ToRequest($"{name}: {FuzzRequest.Shorten(value, 60)}") with { Headers = [new(name, value)] };

    /// <summary>A change to one object of the body (the body itself, or one nested in it) chosen at random.</summary>
    private static Mutation ObjectMutation(ValidRequest valid, string kind, Func<Random, JsonObject, RawJson, string> change) => new(kind, r =>
    {
        var body = valid.NewBody() ?? new JsonObject();
        var objects = Nodes(body).OfType<JsonObject>().ToList();
        if (objects.Count == 0)
        {
            return valid.ToRequest($"{kind} (no object in the body)");
        }

        var raw = new RawJson();
        var label = change(r, r.Pick(objects), raw);
        return valid.ToRequest(label) with { Body = raw.Serialize(body) };
    });

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
