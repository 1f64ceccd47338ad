namespace Remarketing.Quote.Tests;

/// <summary>A return is taken only by a franchised dealer authorized for the vehicle's make, as the dealer registry holds it.</summary>
[Collection(RedisCollection.Name)]
public sealed class DealerRegistryTests(RedisConnectionFixture redis)
{
    private readonly TestLeaseEnd _lease = new(redis.Connection);

    private static Caller NewDealer() => new($"D-REG-{Guid.NewGuid():N}"[..16], RoleNames.GroundingDealer);

    [Fact]
    public async Task NotifyReturn_ByADealerNotFranchisedForTheMake_OrNotRegistered_IsPermissionDenied_AndChangesNothing()
    {
        var terms = await _lease.OpenNewAsync();
        var toyotaDealer = NewDealer();
        var stranger = NewDealer();
        await _lease.FranchiseAsync(toyotaDealer.Subject, "Toyota", "Lexus");

        var wrongMake = await RefusedAsync(DomainErrorKind.PermissionDenied, () => _lease.Desk.NotifyReturnAsync(toyotaDealer, TestLeaseEnd.Return(terms, _lease.Today, 20_000)));
        var unregistered = await RefusedAsync(DomainErrorKind.PermissionDenied, () => _lease.Desk.NotifyReturnAsync(stranger, TestLeaseEnd.Return(terms, _lease.Today, 20_000)));

        Assert.Equal($"dealer {toyotaDealer.Subject} is franchised for Toyota, Lexus, not Honda: return the vehicle to a franchised Honda dealer", wrongMake.Message);
        Assert.StartsWith($"dealer {stranger.Subject} is not in the dealer registry", unregistered.Message, StringComparison.Ordinal);
        var account = await _lease.AccountAsync(terms.AccountId);
        Assert.Equal((AccountState.Active, ""), (account.State, account.ReturnCaseId));
    }

    [Fact]
    public async Task NotifyReturn_ByAnyDealerFranchisedForTheMake_IsTaken_WhateverCaseTheMakeIsWritten()
    {
        var terms = await _lease.OpenNewAsync();
        var hondaDealer = NewDealer();
        await _lease.FranchiseAsync(hondaDealer.Subject, "Acura", "HONDA");

        var returned = await _lease.Desk.NotifyReturnAsync(hondaDealer, TestLeaseEnd.Return(terms, _lease.Today, 20_000));

        Assert.Equal((hondaDealer.Subject, ReturnCaseState.InRemarketing), (returned.GroundingDealerId, returned.State));
    }

    [Fact]
    public async Task RegisterDealer_AgainReplacesItsMakes_ARetryAnswersAsTheFirst_AndBadInputIsRefused()
    {
        var dealer = NewDealer();
        var first = new RegisterDealerRequest { RequestId = TestLeaseEnd.NewRequestId(), DealerId = dealer.Subject, Makes = { " Honda ", "honda", "Acura" } };

        var registered = await _lease.Desk.RegisterDealerAsync(TestLeaseEnd.Center, first);
        var retried = await _lease.Desk.RegisterDealerAsync(TestLeaseEnd.Center, first);
        var replaced = await _lease.Desk.RegisterDealerAsync(TestLeaseEnd.Center, new RegisterDealerRequest { RequestId = TestLeaseEnd.NewRequestId(), DealerId = dealer.Subject, Makes = { "Kia" } });
        var read = await _lease.Desk.GetDealerAsync(TestLeaseEnd.Center, dealer.Subject);

        Assert.Equal(["Honda", "Acura"], registered.Makes);
        Assert.Equal(registered, retried);
        Assert.Equal(["Kia"], replaced.Makes);
        Assert.Equal(replaced, read);
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.RegisterDealerAsync(TestLeaseEnd.Center,
            new RegisterDealerRequest { RequestId = TestLeaseEnd.NewRequestId(), DealerId = dealer.Subject }));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.RegisterDealerAsync(TestLeaseEnd.Center,
            new RegisterDealerRequest { RequestId = TestLeaseEnd.NewRequestId(), DealerId = dealer.Subject, Makes = { "Kia", " " } }));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.RegisterDealerAsync(TestLeaseEnd.Center,
            new RegisterDealerRequest { RequestId = TestLeaseEnd.NewRequestId(), DealerId = " ", Makes = { "Kia" } }));
        await RefusedAsync(DomainErrorKind.NotFound, () => _lease.Desk.GetDealerAsync(TestLeaseEnd.Center, "D-NOBODY"));
        Assert.Equal(["Kia"], (await _lease.Desk.GetDealerAsync(TestLeaseEnd.Center, dealer.Subject)).Makes);
    }
}
