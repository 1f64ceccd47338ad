namespace Remarketing.Web.Tests;

/// <summary>One system and one browser for every browser test, run one test at a time (one of them restarts the gateway).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserSystemFixture>
{
    public const string Name = "browser";
}
