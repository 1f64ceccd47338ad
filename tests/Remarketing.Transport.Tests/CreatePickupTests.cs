using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Remarketing.Contracts.Common.V1;

namespace Remarketing.Transport.Tests;

[Collection(RedisCollection.Name)]
public sealed class CreatePickupTests(RedisConnectionFixture redis) : IAsyncDisposable
{
    private readonly TestTransport _transport = new(redis.Connection);

    public ValueTask DisposeAsync() => _transport.DisposeAsync();

    [Fact]
    public async Task BuyerPickup_ForASoldVehicle_IsReadyForPickup_DueSevenDaysLaterOnTheSharedClock()
    {
        var request = _transport.BuyerPickup();

        var order = await _transport.Calls.CreatePickupAsync(TestTransport.FromAuction, request);

        Assert.Equal((PickupKind.Buyer, PickupOrderState.ReadyForPickup), (order.Kind, order.State));
        Assert.Equal((request.CaseId, request.ListingId, request.Vehicle.Vin), (order.CaseId, order.ListingId, order.Vehicle.Vin));
        Assert.Equal((_transport.Dealer.Subject, _transport.Buyer.Subject, request.ProofOfSaleId), (order.GroundingDealerId, order.BuyerDealerId, order.ProofOfSaleId));
        Assert.Equal(TestTransport.Start, order.CreatedAt.ToDateTimeOffset());
        Assert.Equal(TestTransport.Start.AddDays(7), order.PickupDueBy.ToDateTimeOffset());
        Assert.False(order.Overdue);
        Assert.Equal("", order.CarrierId + order.BillOfLadingId);
    }

    [Fact]
    public async Task TransporterPickup_ForAnUnsoldVehicle_AwaitsACarrier()
    {
        var request = _transport.TransporterPickup();

        var order = await _transport.Calls.CreatePickupAsync(TestTransport.FromAuction, request);

        Assert.Equal((PickupKind.Transporter, PickupOrderState.AwaitingCarrier), (order.Kind, order.State));
        Assert.Equal(request.Destination, order.Destination);
        Assert.Equal(("", "", ""), (order.BuyerDealerId, order.ProofOfSaleId, order.CarrierId));
    }

    [Fact]
    public async Task APersonsPickupNamingACase_WhenQuoteCannotBeAsked_IsUnavailable_AndMakesNothing()
    {
        var request = _transport.TransporterPickup();

        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => _transport.Calls.CreatePickupAsync(TestTransport.Center, request));

        Assert.Equal(Grpc.Core.StatusCode.Unavailable, refused.StatusCode);
        Assert.StartsWith($"Quote could not be asked about return case {request.CaseId} (Unavailable): nothing was made", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(await _transport.HandOffsAsync(request.CaseId));
    }

    [Fact]
    public async Task ASecondPickup_ForAVehicleThatAlreadyLeftItsLot_IsRefusedNamingTheFirst_AndMakesNothing()
    {
        var first = await _transport.Calls.CreatePickupAsync(TestTransport.FromAuction, _transport.TransporterPickup(listingId: "L-UNSOLD"));
        var assigned = await _transport.AssignAsync(first.OrderId, _transport.Carrier);
        await _transport.ReleaseAsync(first.OrderId, assigned.BillOfLadingId);
        await _transport.Calls.ConfirmDeliveryAsync(_transport.Carrier, TestTransport.Delivery(first.OrderId));
        var again = _transport.TransporterPickup(caseId: first.CaseId, listingId: "L-AGAIN");
        again.Vehicle = first.Vehicle;

        var refused = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _transport.Calls.CreatePickupAsync(TestTransport.FromAuction, again));

        Assert.Equal(
            $"the vehicle of case {first.CaseId} already left its lot on pickup order {first.OrderId} (transporter pickup, Delivered {TestTransport.Start:yyyy-MM-dd}): a vehicle is picked up once",
            refused.Message);
        Assert.Single(await _transport.ListAllAsync(TestTransport.Center), order => order.CaseId == first.CaseId);
    }

    [Fact]
    public async Task PickupWindow_IsConfigurable()
    {
        await using var transport = new TestTransport(redis.Connection, options => options.PickupWindow = TimeSpan.FromDays(2));

        var order = await transport.NewBuyerPickupAsync();

        Assert.Equal(TestTransport.Start.AddDays(2), order.PickupDueBy.ToDateTimeOffset());
    }

    [Theory]
    [InlineData("1.00:00:00", true)]
    [InlineData("7.00:00:00", true)]
    [InlineData("23:59:59", false)]
    [InlineData("7.00:00:01", false)]
    public void PickupWindow_IsValidatedToOneToSevenDays(string window, bool valid)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Transport:PickupWindow"] = window;
        builder.AddTransport();
        using var services = builder.Services.BuildServiceProvider();

        var read = () => services.GetRequiredService<IOptions<TransportOptions>>().Value;

        if (valid)
            Assert.Equal(TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture), read().PickupWindow);
        else
            Assert.Contains("Transport:PickupWindow must be 1-7 days", Assert.Throws<OptionsValidationException>(read).Message);
    }

    [Fact]
    public async Task RepeatedRequestId_ReturnsTheFirstOrder()
    {
        var request = _transport.BuyerPickup();

        var first = await _transport.Calls.CreatePickupAsync(TestTransport.FromAuction, request);
        _transport.Clock.Advance(TimeSpan.FromHours(1));
        var again = await _transport.Calls.CreatePickupAsync(TestTransport.FromAuction, request);

        Assert.Equal(first, again);
        Assert.Single(await _transport.HandOffsAsync(request.CaseId));
    }

    [Fact]
    public async Task OnePickupPerCaseAndListing_AnotherRequestId_ReturnsTheExistingOrder()
    {
        var request = _transport.TransporterPickup(listingId: "L-77");
        var first = await _transport.Calls.CreatePickupAsync(TestTransport.FromAuction, request);

        var retold = request.Clone();
        retold.RequestId = TestTransport.NewRequestId();
        _transport.Clock.Advance(TimeSpan.FromHours(3));
        var second = await _transport.Calls.CreatePickupAsync(TestTransport.FromAuction, retold);

        Assert.Equal(first, second);
        Assert.Equal(TestTransport.Start, second.CreatedAt.ToDateTimeOffset());
        Assert.Single(await _transport.HandOffsAsync(request.CaseId));
    }

    [Fact]
    public async Task OnePickupPerCaseAndListing_ASecondAskThatDiffers_IsAlreadyExists()
    {
        var sold = _transport.BuyerPickup();
        await _transport.Calls.CreatePickupAsync(TestTransport.FromAuction, sold);
        var unsold = _transport.TransporterPickup(caseId: sold.CaseId, listingId: sold.ListingId);
        unsold.Vehicle = sold.Vehicle;

        var refusal = await RefusedAsync(DomainErrorKind.AlreadyExists, () => _transport.Calls.CreatePickupAsync(TestTransport.FromAuction, unsold));

        Assert.Contains($"case {sold.CaseId} (listing {sold.ListingId}) already has pickup order", refusal.Message);
    }

    [Fact]
    public async Task TheSameCase_OnAnotherListing_IsAnotherOrder()
    {
        var caseId = _transport.NewCaseId();

        var first = await _transport.Calls.CreatePickupAsync(TestTransport.FromAuction, _transport.TransporterPickup(caseId, "L-1"));
        var relisted = await _transport.Calls.CreatePickupAsync(TestTransport.FromAuction, _transport.TransporterPickup(caseId, "L-2"));

        Assert.NotEqual(first.OrderId, relisted.OrderId);
    }

    [Fact]
    public async Task AProofOfSaleOnAnotherOrder_IsAlreadyExists()
    {
        var first = await _transport.NewBuyerPickupAsync();

        var refusal = await RefusedAsync(DomainErrorKind.AlreadyExists,
            () => _transport.Calls.CreatePickupAsync(TestTransport.FromAuction, _transport.BuyerPickup(proofOfSaleId: first.ProofOfSaleId)));

        Assert.Contains($"is already on pickup order {first.OrderId}", refusal.Message);
    }

    public static TheoryData<string, string> BadRequests() => new()
    {
        { "no request id", "request_id is required" },
        { "no kind", "kind is required" },
        { "an unknown kind", "kind 9 is not a pickup kind" },
        { "no case", "case_id is required" },
        { "a case id over 128 characters", "case_id is required (at most 128 characters)" },
        { "no vehicle", "vehicle is required" },
        { "a VIN that fails its check digit", "fails its check digit" },
        { "a VIN with an O", "letters I, O and Q never do" },
        { "no grounding dealer", "grounding_dealer_id is required" },
        { "a buyer pickup without its buyer", "a buyer pickup needs buyer_dealer_id" },
        { "a buyer pickup without its proof of sale", "a buyer pickup needs proof_of_sale_id" },
        { "a transporter pickup with a buyer", "a transporter pickup has no buyer" },
        { "a model year of 1066", "is not a model year" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadInput_IsInvalidArgument_AndChangesNothing(string what, string message)
    {
        var request = _transport.BuyerPickup();
        switch (what)
        {
            case "no request id": request.RequestId = " "; break;
            case "no kind": request.Kind = PickupKind.Unspecified; break;
            case "an unknown kind": request.Kind = (PickupKind)9; break;
            case "no case": request.CaseId = ""; break;
            case "a case id over 128 characters": request.CaseId = new string('c', 129); break;
            case "no vehicle": request.Vehicle = null; break;
            case "a VIN that fails its check digit": request.Vehicle.Vin = BadCheckDigit(request.Vehicle.Vin); break;
            case "a VIN with an O": request.Vehicle.Vin = "1HGCV1F3OPA000001"; break;
            case "no grounding dealer": request.GroundingDealerId = ""; break;
            case "a buyer pickup without its buyer": request.BuyerDealerId = ""; break;
            case "a buyer pickup without its proof of sale": request.ProofOfSaleId = ""; break;
            case "a transporter pickup with a buyer": request.Kind = PickupKind.Transporter; break;
            case "a model year of 1066": request.Vehicle.ModelYear = 1066; break;
        }

        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _transport.Calls.CreatePickupAsync(TestTransport.FromAuction, request));

        Assert.Contains(message, refusal.Message);
        Assert.Null(await _transport.StoredAsync(PickupDesk.OrderIdOf(request.CaseId.Trim(), request.ListingId)));
        Assert.Empty(await _transport.HandOffsAsync(request.CaseId));
    }

    [Fact]
    public async Task TheVin_IsStoredUpperCase()
    {
        var request = _transport.BuyerPickup();
        var vin = request.Vehicle.Vin;
        request.Vehicle = new Vehicle { Vin = $" {vin.ToLowerInvariant()} " };

        var order = await _transport.Calls.CreatePickupAsync(TestTransport.FromAuction, request);

        Assert.Equal(vin, order.Vehicle.Vin);
    }

    private static string BadCheckDigit(string vin) => vin[..8] + (vin[8] == '0' ? '1' : '0') + vin[9..];
}
