namespace Remarketing.Quote.Tests;

/// <summary>Issue #8: request ids are scoped to the operation, the caller's role and subject, each part length-prefixed.</summary>
[Collection(RedisCollection.Name)]
public sealed class RequestKeyTests(RedisConnectionFixture redis)
{
    private readonly TestLeaseEnd _lease = new(redis.Connection);

    [Fact]
    public async Task ASubjectAndRequestIdThatSpellAnotherCallersKey_AreANewRequest_NotTheOthersAnswer()
    {
        // Under the old key "quote:request:{op}:{subject}:{id}", "RC:east" with "r-1" and "RC" with "east:r-1" were one key.
        var terms = await _lease.OpenNewAsync();
        var east = new Remarketing.ServiceDefaults.Security.Caller("RC:east", Remarketing.Contracts.RoleNames.Remarketing);
        var plain = new Remarketing.ServiceDefaults.Security.Caller("RC", Remarketing.Contracts.RoleNames.Remarketing);

        await _lease.Desk.ExtendLeaseAsync(east, new ExtendLeaseRequest { RequestId = "r-1", AccountId = terms.AccountId, Days = 10 });
        await _lease.Desk.ExtendLeaseAsync(plain, new ExtendLeaseRequest { RequestId = "east:r-1", AccountId = terms.AccountId, Days = 10 });

        Assert.Equal(2, (await _lease.AccountAsync(terms.AccountId)).Extensions.Count);
    }

    [Fact]
    public async Task TheSameSubjectInAnotherRole_IsAnotherCaller()
    {
        var terms = await _lease.OpenNewAsync();
        var center = new Remarketing.ServiceDefaults.Security.Caller("quote", Remarketing.Contracts.RoleNames.Remarketing);
        var service = new Remarketing.ServiceDefaults.Security.Caller("quote", Remarketing.Contracts.RoleNames.Service);

        await _lease.Desk.ExtendLeaseAsync(center, new ExtendLeaseRequest { RequestId = "r-1", AccountId = terms.AccountId, Days = 10 });
        await _lease.Desk.ExtendLeaseAsync(service, new ExtendLeaseRequest { RequestId = "r-1", AccountId = terms.AccountId, Days = 10 });

        Assert.Equal(2, (await _lease.AccountAsync(terms.AccountId)).Extensions.Count);
    }
}
