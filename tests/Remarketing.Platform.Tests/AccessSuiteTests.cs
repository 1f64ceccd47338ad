using Google.Protobuf;
using Google.Protobuf.Reflection;
using Remarketing.ServiceDefaults.Security;
using Remarketing.Contracts.Quote.V1;

namespace Remarketing.Platform.Tests;

/// <summary>
/// Every operation of every contract, called as an attacker would: with no token, in each role
/// the operation does not name, and at every other spelling of its path (letter case, a trailing
/// slash, a doubled slash, a percent-encoded letter or slash, a dot segment, a query), at the
/// gateway and straight at the service that owns it. Each is refused with the right status, and
/// Redis holds exactly what it held before: nothing was changed.
/// </summary>
[Trait("Category", "System")]
[Collection(SystemCollection.Name)]
public sealed class AccessSuiteTests(SystemFixture fixture) : IAsyncLifetime
{
    private static readonly SemaphoreSlim SeedOnce = new(1, 1);
    private static Seeded? _seeded;

    private RemarketingSystem System => fixture.System;

    public static TheoryData<string> Operations() => [.. ContractCatalog.Operations.Select(operation => operation.Path)];

    public async Task InitializeAsync()
    {
        await SeedOnce.WaitAsync();
        try
        {
            _seeded ??= await SeedAsync();
        }
        finally
        {
            SeedOnce.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task EveryOperation_RefusesNoToken_WrongRoles_AndEveryOtherSpellingOfItsPath_AndChangesNothing(string path)
    {
        var operation = ContractCatalog.FindByPath(path)!;
        var request = SampleRequest(operation, _seeded!).ToByteArray();
        var before = await RedisSnapshot.DigestAsync(fixture.Redis);
        var wrong = new List<string>();

        foreach (var (name, server) in Targets(operation))
        {
            var allowedRole = operation.Roles.Order(StringComparer.Ordinal).First();
            Task Expect(StatusCode expected, string rawPath, string? role, string what) =>
                ExpectWith(expected, rawPath, role is null ? null : Token(name, role), what);
            async Task ExpectWith(StatusCode expected, string rawPath, string? token, string what)
            {
                var status = await RawGrpcCall.SendAsync(fixture.Http, server, rawPath, request, token);
                if (status.StatusCode != expected)
                    wrong.Add($"{name} {what} {rawPath}: {status.StatusCode} '{status.Detail}', expected {expected}");
            }

            await Expect(StatusCode.Unauthenticated, path, null, "no token");
            foreach (var role in RoleNames.All.Except(operation.Roles))
                await Expect(name == "gateway" && role == RoleNames.Service ? StatusCode.Unauthenticated : StatusCode.PermissionDenied, path, role, $"role {role}");
            // A service's token from a service the operation does not name (a compromised Transport creating listings).
            if (name != "gateway" && operation.Roles.Contains(RoleNames.Service))
            {
                foreach (var other in Signers.Services.Append(Signers.Gateway).Except(operation.Services))
                    await ExpectWith(StatusCode.PermissionDenied, path, System.Tokens.ServiceToken(other), $"the {other} service");
            }

            foreach (var variant in PathVariants(operation))
            {
                await Expect(StatusCode.Unimplemented, variant, allowedRole, $"role {allowedRole}");
                await Expect(StatusCode.Unimplemented, variant, null, "no token");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Equal(before, await RedisSnapshot.DigestAsync(fixture.Redis));
    }

    [Fact]
    public async Task GrpcWeb_OtherSpellingsOfAPath_AreRefusedToo()
    {
        var operation = ContractCatalog.FindByPath("/remarketing.auction.v1.AuctionService/CloseListing")!;
        var request = SampleRequest(operation, _seeded!).ToByteArray();
        var before = await RedisSnapshot.DigestAsync(fixture.Redis);

        var statuses = new List<StatusCode>();
        foreach (var variant in PathVariants(operation))
            statuses.Add((await RawGrpcCall.SendAsync(fixture.Http11, System.GatewayHttpAddress, variant, request, Token("gateway", RoleNames.Buyer), grpcWeb: true)).StatusCode);
        var wrongRole = await RawGrpcCall.SendAsync(fixture.Http11, System.GatewayHttpAddress, operation.Path, request, Token("gateway", RoleNames.Buyer), grpcWeb: true);

        Assert.All(statuses, status => Assert.Equal(StatusCode.Unimplemented, status));
        Assert.Equal(StatusCode.PermissionDenied, wrongRole.StatusCode);
        Assert.Equal(before, await RedisSnapshot.DigestAsync(fixture.Redis));
    }

    /// <summary>The same requests in an allowed role at the exact path do act: the refusals above are the access check's, not a bad sample.</summary>
    [Theory]
    [InlineData("/remarketing.auction.v1.AuctionService/CloseListing", RoleNames.Remarketing)]
    [InlineData("/remarketing.quote.v1.QuoteService/GetLeaseAccount", RoleNames.Remarketing)]
    [InlineData("/remarketing.quote.v1.QuoteService/CreateLeaseAccount", RoleNames.Remarketing)]
    public async Task TheSampleRequest_InAnAllowedRoleAtTheExactPath_IsAdmitted(string path, string role)
    {
        var operation = ContractCatalog.FindByPath(path)!;
        var fresh = await SeedAsync();

        var status = await RawGrpcCall.SendAsync(fixture.Http, System.GatewayGrpcAddress, path, SampleRequest(operation, fresh).ToByteArray(), Token("gateway", role));

        Assert.Equal(StatusCode.OK, status.StatusCode);
    }

    private IEnumerable<(string Name, Uri Server)> Targets(ContractOperation operation)
    {
        yield return ("gateway", System.GatewayGrpcAddress);
        var service = ContractCatalog.BackendOf(operation.Area, commonBackend: "auction");
        yield return (service, System.ServiceAddress(service));
    }

    /// <summary>
    /// The token a caller in <paramref name="role"/> holds: its own token at the gateway, the
    /// gateway's forwarded identity at a service. A service's token is the only kind for the
    /// service role (the gateway accepts none: services call each other directly).
    /// </summary>
    private string Token(string target, string role)
    {
        if (role == RoleNames.Service)
            return System.Tokens.ServiceToken("quote");
        var subject = role switch
        {
            RoleNames.GroundingDealer => Seeded.GroundingDealer,
            RoleNames.Buyer => Seeded.Buyer,
            _ => $"ATTACKER-{role.ToUpperInvariant()}",
        };
        return target == "gateway" ? System.Tokens.For(subject, role) : System.Tokens.ForwardedFor(subject, role);
    }

    private static IEnumerable<string> PathVariants(ContractOperation operation)
    {
        var service = operation.Service;
        var method = operation.Method;
        var path = operation.Path;
        yield return path.ToLowerInvariant();
        yield return path.ToUpperInvariant();
        yield return $"/{service}/{char.ToLowerInvariant(method[0])}{method[1..]}";
        yield return path + "/";
        yield return "/" + path;
        yield return $"/{service}//{method}";
        yield return $"/{service}/%{(int)method[0]:X2}{method[1..]}";
        yield return $"/{service}%2F{method}";
        yield return $"/{service}/./{method}";
        yield return $"/x/../{service}/{method}";
        yield return path + "?x=1";
    }

    /// <summary>A request the operation would act on if it were let in: it names the seeded listing, account and case.</summary>
    private static IMessage SampleRequest(ContractOperation operation, Seeded seeded)
    {
        var request = operation.Descriptor.InputType.Parser.ParseFrom(ByteString.Empty);
        switch (request)
        {
            case CreateLeaseAccountRequest create:
                create.RequestId = NewId();
                create.Terms = SampleLease.Terms(seeded.Today.AddMonths(-24));
                return create;
            case CreateListingRequest listing:
                listing.RequestId = NewId();
                listing.Vin = TestVins.Next();
                listing.GroundingDealerId = Seeded.GroundingDealer;
                listing.FloorPriceCents = 1_000_00;
                return listing;
            case NotifyReturnRequest notify:
                notify.RequestId = NewId();
                notify.AccountId = seeded.AccountId;
                notify.Vin = seeded.Vin;
                notify.ReturnDate = SampleLease.ToDate(seeded.Today);
                notify.OdometerMiles = 30_000;
                notify.OdometerSignedByLessee = true;
                notify.DealerState = "OH";
                notify.Disposition = ReturnDisposition.LesseeReturn;
                return notify;
        }

        foreach (var field in operation.Descriptor.InputType.Fields.InFieldNumberOrder())
        {
            object? value = (field.FieldType, field.Name) switch
            {
                (FieldType.String, "listing_id") => seeded.ListingId,
                (FieldType.String, "account_id") => seeded.AccountId,
                (FieldType.String, "case_id") => seeded.CaseId,
                (FieldType.String, "vin") => seeded.Vin,
                (FieldType.String, "request_id" or "bid_id") => NewId(),
                (FieldType.String, "reason") => "closed by whoever got in",
                (FieldType.String, _) when field.Name.EndsWith("_id", StringComparison.Ordinal) => "X-1",
                (FieldType.Int64, "amount_cents" or "max_amount_cents") => 900_000_00L,
                (FieldType.Int64, "odometer_miles") => 31_000L,
                (FieldType.Int32, "days") => 10,
                (FieldType.Bool, _) => true,
                _ => null,
            };
            if (value is not null && !field.IsRepeated)
                field.Accessor.SetValue(request, value);
        }

        return request;
    }

    private static string NewId() => Guid.NewGuid().ToString("N").ToUpperInvariant();

    private async Task<Seeded> SeedAsync()
    {
        var channel = System.GatewayChannel();
        var center = System.Tokens.Bearer($"RC-SEED-{NewId()}", RoleNames.Remarketing);
        var reading = await new ClockService.ClockServiceClient(channel).GetClockAsync(new GetClockRequest(), center);
        var today = DateOnly.FromDateTime(reading.Now.ToDateTime());

        var quote = new QuoteService.QuoteServiceClient(channel);
        var terms = SampleLease.Terms(today.AddMonths(-24).AddDays(-3));
        await SampleLease.OpenAsync(quote, terms, center, Seeded.GroundingDealer);
        var returned = await quote.NotifyReturnAsync(new NotifyReturnRequest
        {
            RequestId = NewId(),
            AccountId = terms.AccountId,
            Vin = terms.Vehicle.Vin,
            ReturnDate = SampleLease.ToDate(today),
            OdometerMiles = 30_000,
            OdometerSignedByLessee = true,
            DealerState = "OH",
            Disposition = ReturnDisposition.DealerPurchaseForInventory,
        }, System.Tokens.Bearer(Seeded.GroundingDealer, RoleNames.GroundingDealer));

        var auction = new AuctionService.AuctionServiceClient(channel);
        var listing = await auction.CreateListingAsync(new CreateListingRequest
        {
            RequestId = NewId(),
            Vin = TestVins.Next(),
            GroundingDealerId = Seeded.GroundingDealer,
            FloorPriceCents = 5_000_00,
            BuyNowPriceCents = 20_000_00,
        }, center);
        await auction.PlaceBidAsync(new PlaceBidRequest { ListingId = listing.ListingId, BidId = NewId(), AmountCents = 1_000_00, MaxAmountCents = 4_000_00 },
            System.Tokens.Bearer($"{Seeded.Buyer}-{NewId()}", RoleNames.Buyer));
        return new Seeded(today, terms.AccountId, terms.Vehicle.Vin, returned.CaseId, listing.ListingId);
    }

    private sealed record Seeded(DateOnly Today, string AccountId, string Vin, string CaseId, string ListingId)
    {
        public const string GroundingDealer = "D-GROUND";
        public const string Buyer = "D-BUYER";
    }
}
