namespace Remarketing.Auction.Tests;

[CollectionDefinition(Name)]
public sealed class AuctionSystemCollection : ICollectionFixture<AuctionSystemFixture>
{
    public const string Name = "auction system";
}
