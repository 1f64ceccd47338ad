namespace Remarketing.Inspection.Tests;

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisConnectionFixture>
{
    public const string Name = "redis";
}
