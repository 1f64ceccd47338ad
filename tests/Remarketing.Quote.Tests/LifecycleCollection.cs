namespace Remarketing.Quote.Tests;

/// <summary>The lifecycle tests and the Prometheus test share one system (LifecycleSystemFixture), one test at a time.</summary>
[CollectionDefinition(Name)]
public sealed class LifecycleCollection : ICollectionFixture<LifecycleSystemFixture>
{
    public const string Name = "lifecycle";
}
