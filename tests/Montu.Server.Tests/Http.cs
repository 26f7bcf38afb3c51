using System.Net;
using System.Text;
using System.Text.Json;

namespace Montu.Server.Tests;

/// <summary>Small helpers so tests read as requests and assertions on bodies.</summary>
public static class Http
{
    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string url, object body) =>
        client.PostAsync(url, JsonContent(body));

    public static Task<HttpResponseMessage> PatchJson(this HttpClient client, string url, object body) =>
        client.PatchAsync(url, JsonContent(body));

    public static Task<HttpResponseMessage> PutJson(this HttpClient client, string url, object body) =>
        client.PutAsync(url, JsonContent(body));

    public static Task<HttpResponseMessage> PostRaw(this HttpClient client, string url, string body, string contentType = "application/json") =>
        client.PostAsync(url, new StringContent(body, Encoding.UTF8, contentType));

    public static Task<HttpResponseMessage> PatchRaw(this HttpClient client, string url, string body, string contentType = "application/json") =>
        client.PatchAsync(url, new StringContent(body, Encoding.UTF8, contentType));

    /// <summary>A request with a JSON body (when given) and extra headers, such as <c>If-Match</c>.</summary>
    public static Task<HttpResponseMessage> SendWith(this HttpClient client, HttpMethod method, string url, object? body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent(body) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return client.SendAsync(request);
    }

    /// <summary>The response's <c>ETag</c>, as sent.</summary>
    public static string? ETag(this HttpResponseMessage response) => response.Headers.ETag?.ToString();

    public static async Task<JsonElement> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts the status (showing the body when it differs) and returns the JSON body.</summary>
    public static async Task<JsonElement> Expect(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an error envelope with the status and code, and returns its <c>error</c> object.</summary>
    public static async Task<JsonElement> ExpectError(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Expect(status);
        var error = body.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), error.GetProperty("requestId").GetString());
        return error;
    }

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static IReadOnlyList<string> Fields(this JsonElement error) =>
        error.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("field").GetString()!).ToList();

    public static HttpContent JsonContent(object body) =>
        new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
