using Xunit.Abstractions;
using Xunit.Sdk;

namespace Montu.Server.Tests;

/// <summary>
/// A test of a class that runs on the storage its fixture sets up (<see cref="TestApp"/>: a local
/// directory; <see cref="S3TestApp"/>: a bucket). On S3 without an S3 test server it shows as
/// skipped with the reason, as PostgreSQL-only tests do on SQLite, rather than failing or passing untested.
/// </summary>
[XunitTestCaseDiscoverer("Montu.Server.Tests.StorageFactDiscoverer", "Montu.Server.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StorageFactAttribute : FactAttribute;

public sealed class StorageFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    internal const string NoServer = "S3 only: no S3 test server (./test.sh starts s3rver and sets MONTU_TEST_S3)";

    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        Skips(testMethod)
            ? new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, NoServer)
            : base.CreateTestCase(discoveryOptions, testMethod, factAttribute);

    /// <summary>A test of a class on S3 while there is no S3 test server.</summary>
    internal static bool Skips(ITestMethod testMethod) => S3TestApp.Endpoint is null && UsesS3(testMethod.TestClass.Class.ToRuntimeType());

    private static bool UsesS3(Type testClass) => testClass.GetInterfaces().Any(type =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IClassFixture<>) && type.GetGenericArguments()[0].IsAssignableTo(typeof(S3TestApp)));
}

/// <summary>A theory of a class that runs on the storage its fixture sets up; see <see cref="StorageFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("Montu.Server.Tests.StorageTheoryDiscoverer", "Montu.Server.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StorageTheoryAttribute : TheoryAttribute;

public sealed class StorageTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        StorageFactDiscoverer.Skips(testMethod)
            ? [new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, StorageFactDiscoverer.NoServer)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}
