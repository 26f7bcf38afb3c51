namespace Montu.Server.Tests;

/// <summary>
/// The server on a real Kestrel listener on a free loopback port: for behaviour that lives in
/// the HTTP server itself, such as request-body limits, which the in-memory test server does
/// not apply.
/// </summary>
public sealed class KestrelTestApp : TestApp
{
    public KestrelTestApp()
    {
        UseKestrel(0);
    }
}

/// <summary>The server on a real Kestrel listener, keeping its files in a bucket of the S3 test server (<see cref="S3TestApp"/>).</summary>
public sealed class KestrelS3TestApp : S3TestApp
{
    public KestrelS3TestApp()
    {
        UseKestrel(0);
    }
}
