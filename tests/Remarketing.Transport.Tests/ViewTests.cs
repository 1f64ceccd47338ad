using Google.Protobuf;

namespace Remarketing.Transport.Tests;

/// <summary>Who sees which orders, and what of them: the documents that release a vehicle never reach the grounding dealer.</summary>
[Collection(RedisCollection.Name)]
public sealed class ViewTests(RedisConnectionFixture redis) : IAsyncDisposable
{
    private readonly TestTransport _transport = new(redis.Connection);

    public ValueTask DisposeAsync() => _transport.DisposeAsync();

    [Fact]
    public async Task TheGroundingDealer_NeverSeesTheProofOfSaleOrTheBillOfLading_InAnyAnswer()
    {
        var bought = await _transport.NewBuyerPickupAsync();
        var carried = await _transport.NewAssignedPickupAsync();
        var dealer = _transport.Dealer;
        var answers = new List<IMessage>
        {
            await _transport.Calls.GetAsync(dealer, bought.OrderId),
            await _transport.Calls.GetAsync(dealer, carried.OrderId),
            await _transport.Calls.ListAsync(dealer),
            await _transport.Calls.ListAsync(dealer, new ListPickupOrdersRequest { State = PickupOrderState.ReadyForPickup }),
        };
        await using (var watch = await _transport.WatchAsync(dealer, carried.OrderId))
        {
            answers.Add(await watch.NextOrderAsync());
            answers.Add(await watch.NextOrderAsync());
            answers.Add(await watch.NextOrderAsync());
        }

        answers.Add(await _transport.ReleaseAsync(bought.OrderId, bought.ProofOfSaleId));
        answers.Add(await _transport.ReleaseAsync(carried.OrderId, carried.BillOfLadingId));
        answers.Add(await _transport.Calls.ListAsync(dealer));

        Assert.Equal(2, ((ListPickupOrdersResponse)answers[2]).Orders.Count);
        foreach (var answer in answers)
        {
            var text = answer.ToString();
            Assert.DoesNotContain(bought.ProofOfSaleId, text, StringComparison.Ordinal);
            Assert.DoesNotContain(carried.BillOfLadingId, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheBuyer_SeesItsOwnProofOfSale_TheCarrierItsOwnBillOfLading()
    {
        var bought = await _transport.NewBuyerPickupAsync();
        var carried = await _transport.NewAssignedPickupAsync();

        var buyers = await _transport.Calls.GetAsync(_transport.Buyer, bought.OrderId);
        var carriers = await _transport.Calls.GetAsync(_transport.Carrier, carried.OrderId);

        Assert.Equal(bought.ProofOfSaleId, buyers.ProofOfSaleId);
        Assert.Equal(carried.BillOfLadingId, carriers.BillOfLadingId);
        Assert.Equal(0, buyers.RefusedReleaseCount + carriers.RefusedReleaseCount);
    }

    [Fact]
    public async Task RefusedReleases_AreShownToTheCenterAndServicesOnly()
    {
        var order = await _transport.NewAssignedPickupAsync();
        await RefusedAsync(DomainErrorKind.PermissionDenied, () => _transport.ReleaseAsync(order.OrderId, "BOL-guess"));

        var center = await _transport.AsCenterAsync(order.OrderId);
        var service = await _transport.Calls.GetAsync(TestTransport.FromAuction, order.OrderId);
        var carrier = await _transport.Calls.GetAsync(_transport.Carrier, order.OrderId);
        var dealer = await _transport.Calls.GetAsync(_transport.Dealer, order.OrderId);

        Assert.Equal((1, 1), (center.RefusedReleaseCount, center.RefusedReleases.Count));
        Assert.Equal(center, service);
        Assert.Equal((0, 0), (carrier.RefusedReleaseCount, carrier.RefusedReleases.Count));
        Assert.Equal((0, 0), (dealer.RefusedReleaseCount, dealer.RefusedReleases.Count));
    }

    [Fact]
    public async Task AnOrderACallerIsNotPartOf_IsNotFound_ExactlyAsAMissingOne()
    {
        var bought = await _transport.NewBuyerPickupAsync();
        var carried = await _transport.NewAssignedPickupAsync();

        var refusals = new[]
        {
            await RefusedAsync(DomainErrorKind.NotFound, () => _transport.Calls.GetAsync(_transport.OtherDealer, bought.OrderId)),
            await RefusedAsync(DomainErrorKind.NotFound, () => _transport.Calls.GetAsync(_transport.OtherBuyer, bought.OrderId)),
            await RefusedAsync(DomainErrorKind.NotFound, () => _transport.Calls.GetAsync(_transport.Carrier, bought.OrderId)),
            await RefusedAsync(DomainErrorKind.NotFound, () => _transport.Calls.GetAsync(_transport.OtherCarrier, carried.OrderId)),
            await RefusedAsync(DomainErrorKind.NotFound, () => _transport.Calls.GetAsync(_transport.Buyer, carried.OrderId)),
        };

        Assert.Equal([$"no pickup order {bought.OrderId}", $"no pickup order {bought.OrderId}", $"no pickup order {bought.OrderId}",
            $"no pickup order {carried.OrderId}", $"no pickup order {carried.OrderId}"], refusals.Select(refusal => refusal.Message));
        Assert.Equal("no pickup order P-missing", (await RefusedAsync(DomainErrorKind.NotFound, () => _transport.Calls.GetAsync(_transport.Dealer, "P-missing"))).Message);
    }

    [Fact]
    public async Task ATransporter_SeesOrdersAwaitingACarrier_AndItsOwn()
    {
        var open = await _transport.NewTransporterPickupAsync();
        var mine = await _transport.NewAssignedPickupAsync();
        var others = await _transport.NewTransporterPickupAsync();
        await _transport.AssignAsync(others.OrderId, _transport.OtherCarrier);

        var seen = await ListAllAsync(_transport.Carrier);

        Assert.Contains(open.OrderId, seen);
        Assert.Contains(mine.OrderId, seen);
        Assert.DoesNotContain(others.OrderId, seen);
        Assert.Equal(open.OrderId, (await _transport.Calls.GetAsync(_transport.OtherCarrier, open.OrderId)).OrderId);
    }

    [Fact]
    public async Task Lists_ShowEachCallerTheOrdersItIsPartOf()
    {
        var bought = await _transport.NewBuyerPickupAsync();
        var carried = await _transport.NewAssignedPickupAsync();
        var atAnotherLot = _transport.BuyerPickup();
        atAnotherLot.GroundingDealerId = _transport.OtherDealer.Subject;
        var elsewhere = await _transport.Calls.CreatePickupAsync(TestTransport.FromAuction, atAnotherLot);

        // Created at the same instant: listed in order of id.
        Assert.Equal(Sorted(bought.OrderId, carried.OrderId), await ListAllAsync(_transport.Dealer));
        Assert.Equal([elsewhere.OrderId], await ListAllAsync(_transport.OtherDealer));
        Assert.Equal(Sorted(bought.OrderId, elsewhere.OrderId), await ListAllAsync(_transport.Buyer));
        Assert.Empty(await ListAllAsync(_transport.OtherBuyer));
        var center = await ListAllAsync(TestTransport.Center);
        Assert.Contains(bought.OrderId, center);
        Assert.Contains(carried.OrderId, center);
        Assert.Contains(elsewhere.OrderId, center);
        var buyersView = (await _transport.Calls.ListAsync(_transport.Buyer)).Orders;
        Assert.All(buyersView, order => Assert.NotEmpty(order.ProofOfSaleId));
    }

    [Fact]
    public async Task Lists_FilterByState_AndPage()
    {
        var orders = new List<PickupOrder>();
        for (var i = 0; i < 5; i++)
        {
            orders.Add(await _transport.NewBuyerPickupAsync());
            _transport.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        await _transport.ReleaseAsync(orders[1].OrderId, orders[1].ProofOfSaleId);

        var ready = await ListAllAsync(_transport.Dealer, new ListPickupOrdersRequest { State = PickupOrderState.ReadyForPickup, Page = new() { PageSize = 2 } });
        var released = await ListAllAsync(_transport.Dealer, new ListPickupOrdersRequest { State = PickupOrderState.Released });
        var firstPage = await _transport.Calls.ListAsync(_transport.Dealer, new ListPickupOrdersRequest { Page = new() { PageSize = 2 } });

        Assert.Equal(orders.Where((_, index) => index != 1).Select(order => order.OrderId), ready);
        Assert.Equal([orders[1].OrderId], released);
        Assert.Equal(orders.Take(2).Select(order => order.OrderId), firstPage.Orders.Select(order => order.OrderId));
        Assert.NotEmpty(firstPage.Page.NextPageToken);
    }

    [Theory]
    [InlineData(201, "", "page_size must be between 1 and 200")]
    [InlineData(-1, "", "page_size must be between 1 and 200")]
    [InlineData(0, "not-a-token", "page_token is not one this service gave")]
    public async Task BadPaging_IsInvalidArgument(int size, string token, string message)
    {
        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument,
            () => _transport.Calls.ListAsync(_transport.Dealer, new ListPickupOrdersRequest { Page = new() { PageSize = size, PageToken = token } }));

        Assert.Contains(message, refusal.Message);
    }

    [Fact]
    public async Task AnUnknownState_IsInvalidArgument()
    {
        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument,
            () => _transport.Calls.ListAsync(_transport.Dealer, new ListPickupOrdersRequest { State = (PickupOrderState)42 }));

        Assert.Equal("state 42 is not a pickup order state", refusal.Message);
    }

    private static List<string> Sorted(params string[] ids) => [.. ids.Order(StringComparer.Ordinal)];

    private async Task<List<string>> ListAllAsync(Caller caller, ListPickupOrdersRequest? request = null) =>
        [.. (await _transport.ListAllAsync(caller, request)).Select(order => order.OrderId)];
}
