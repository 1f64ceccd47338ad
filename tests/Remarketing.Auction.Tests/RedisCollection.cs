using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Remarketing.Auction.Engine;
using Remarketing.Testing;
using StackExchange.Redis;

namespace Remarketing.Auction.Tests;

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisConnectionFixture>
{
    public const string Name = "redis";
}
