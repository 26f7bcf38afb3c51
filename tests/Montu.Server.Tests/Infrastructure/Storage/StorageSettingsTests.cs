using Microsoft.Extensions.Configuration;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Tests.Infrastructure.Storage;

/// <summary>How <c>MONTU_STORAGE</c> and the S3 settings are read, and that a value the server cannot use stops its start.</summary>
public sealed class StorageSettingsTests
{
    [Fact]
    public void Without_MONTU_STORAGE_files_stay_in_the_local_directory()
    {
        var settings = Read(new() { ["MONTU_STORAGE"] = "" });

        Assert.Equal(new StorageSettings(null, false), settings);
    }

    [Fact]
    public async Task An_s3_url_names_the_bucket_and_the_key_prefix_with_its_endpoint_region_and_keys()
    {
        var settings = Read(new()
        {
            ["MONTU_STORAGE"] = "s3://studio-media/montu/prod/",
            ["S3_ENDPOINT"] = "http://minio.studio.lan:9000",
            ["S3_REGION"] = "eu-west-3",
            ["AWS_ACCESS_KEY_ID"] = "montu",
            ["AWS_SECRET_ACCESS_KEY"] = "secret-key",
            ["S3_REDIRECT"] = "true",
        });

        Assert.True(settings.RedirectDownloads);
        var s3 = settings.S3!;
        Assert.Equal(("studio-media", "montu/prod/", new Uri("http://minio.studio.lan:9000"), "eu-west-3"), (s3.Bucket, s3.Prefix, s3.Endpoint, s3.Region));
        var credentials = await s3.Credentials!.GetCredentialsAsync();
        Assert.Equal(("montu", "secret-key"), (credentials.AccessKey, credentials.SecretKey));
        Assert.DoesNotContain("secret-key", settings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bucket_alone_keeps_objects_at_its_root_and_leaves_region_and_credentials_to_defaults()
    {
        var s3 = Read(new() { ["MONTU_STORAGE"] = "s3://studio-media" }).S3!;

        Assert.Equal(("studio-media", "", null, "us-east-1", null), (s3.Bucket, s3.Prefix, s3.Endpoint, s3.Region, s3.Credentials));
    }

    [Theory]
    [InlineData("/srv/montu/media", "MONTU_STORAGE must be s3://bucket")]
    [InlineData("ftp://files.studio.lan/media", "MONTU_STORAGE must be s3://bucket")]
    [InlineData("s3://", "MONTU_STORAGE must be s3://bucket")]
    [InlineData("s3://Studio_Media/x", "MONTU_STORAGE must be s3://bucket")]
    [InlineData("s3://studio-media/a/../b", "MONTU_STORAGE must be s3://bucket")]
    [InlineData("s3://studio-media/a//b", "MONTU_STORAGE must be s3://bucket")]
    public void A_storage_url_that_is_not_a_bucket_is_refused_naming_the_setting(string storage, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(new() { ["MONTU_STORAGE"] = storage }));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{storage}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("S3_ENDPOINT", "minio.studio.lan:9000", "S3_ENDPOINT must be an http:// or https:// URL")]
    [InlineData("S3_REDIRECT", "yes", "S3_REDIRECT must be true or false")]
    [InlineData("AWS_ACCESS_KEY_ID", "montu", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together")]
    [InlineData("AWS_SECRET_ACCESS_KEY", "secret-key", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together")]
    public void A_bad_s3_setting_is_refused_naming_it(string name, string value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(new() { ["MONTU_STORAGE"] = "s3://studio-media", [name] = value }));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redirecting_downloads_without_a_bucket_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(new() { ["S3_REDIRECT"] = "true" }));

        Assert.StartsWith("S3_REDIRECT=true needs MONTU_STORAGE=s3://", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_does_not_start_with_a_storage_setting_it_cannot_use()
    {
        var app = new TestApp();
        app.Settings["MONTU_STORAGE"] = "/srv/montu/media";
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(app.InitializeAsync);

            Assert.StartsWith("MONTU_STORAGE must be s3://bucket", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static StorageSettings Read(Dictionary<string, string?> values) =>
        StorageSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
}
