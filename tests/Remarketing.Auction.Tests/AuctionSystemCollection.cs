using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Remarketing.Contracts;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Testing;
using StackExchange.Redis;

namespace Remarketing.Auction.Tests;

[CollectionDefinition(Name)]
public sealed class AuctionSystemCollection : ICollectionFixture<AuctionSystemFixture>
{
    public const string Name = "auction system";
}
