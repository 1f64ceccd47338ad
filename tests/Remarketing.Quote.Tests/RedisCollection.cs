using Microsoft.Extensions.Time.Testing;
using Remarketing.Contracts;
using Remarketing.Quote.Domain;
using Remarketing.ServiceDefaults.Security;
using StackExchange.Redis;

namespace Remarketing.Quote.Tests;

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisConnectionFixture>
{
    public const string Name = "redis";
}
