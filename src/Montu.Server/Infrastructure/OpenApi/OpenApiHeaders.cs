using System.Globalization;
using Microsoft.OpenApi;

namespace Montu.Server.Infrastructure.OpenApi;

/// <summary>A header a route reads or writes, for the API description.</summary>
public sealed record ApiHeader(string Name, string Description, OpenApiSchema Schema)
{
    /// <summary>A string of at most <paramref name="maxLength"/> characters.</summary>
    public static ApiHeader Text(string name, string description, int maxLength) =>
        new(name, description, new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = maxLength });

    /// <summary>One fixed value.</summary>
    public static ApiHeader Fixed(string name, string description, string value) =>
        new(name, description, new OpenApiSchema { Type = JsonSchemaType.String, Enum = [value] });

    /// <summary>A whole number from 0 to <paramref name="maximum"/>.</summary>
    public static ApiHeader Bytes(string name, string description, long maximum) => new(name, description, new OpenApiSchema
    {
        Type = JsonSchemaType.Integer,
        Format = "int64",
        Minimum = "0",
        Maximum = maximum.ToString(CultureInfo.InvariantCulture),
    });
}

/// <summary>
/// Headers in the API description, for routes whose protocol lives in headers rather than in a
/// body (tus uploads): the request headers a route reads, and those each of its answers carries.
/// </summary>
public static class OpenApiHeaders
{
    /// <summary>Request headers the route reads; <paramref name="required"/> ones it refuses requests without.</summary>
    public static RouteHandlerBuilder ReadsHeaders(this RouteHandlerBuilder builder, bool required, params ApiHeader[] headers) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var header in headers)
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = header.Name,
                    In = ParameterLocation.Header,
                    Required = required,
                    Description = header.Description,
                    Schema = header.Schema,
                });
            }

            return Task.CompletedTask;
        });

    /// <summary>Headers the answer with <paramref name="status"/> carries.</summary>
    public static RouteHandlerBuilder AnswersHeaders(this RouteHandlerBuilder builder, int status, params ApiHeader[] headers) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var response = (OpenApiResponse)operation.Responses![status.ToString(CultureInfo.InvariantCulture)];
            Add(response, headers);
            return Task.CompletedTask;
        });

    /// <summary>Headers every answer of the route carries, errors included.</summary>
    public static RouteHandlerBuilder AlwaysAnswersHeaders(this RouteHandlerBuilder builder, params ApiHeader[] headers) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var response in operation.Responses!.Values.OfType<OpenApiResponse>())
            {
                Add(response, headers);
            }

            return Task.CompletedTask;
        });

    private static void Add(OpenApiResponse response, ApiHeader[] headers)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        foreach (var header in headers)
        {
            response.Headers[header.Name] = new OpenApiHeader { Description = header.Description, Schema = header.Schema };
        }
    }
}
