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
        await AssertTwoRequestsAsync(
            (new Caller("RC:east", RoleNames.Remarketing), "r-1"),
            (new Caller("RC", RoleNames.Remarketing), "east:r-1"));
    }

    [Fact]
    public async Task TheSameSubjectInAnotherRole_IsAnotherCaller() =>
        await AssertTwoRequestsAsync(
            (new Caller("quote", RoleNames.Remarketing), "r-1"),
            (new Caller("quote", RoleNames.Service), "r-1"));

    /// <summary>Both extend the same account; each must be applied, neither answered with the other's.</summary>
    private async Task AssertTwoRequestsAsync((Caller Caller, string RequestId) first, (Caller Caller, string RequestId) second)
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.EndingSoon());

        await _lease.Desk.ExtendLeaseAsync(first.Caller, new ExtendLeaseRequest { RequestId = first.RequestId, AccountId = terms.AccountId, Days = 10 });
        await _lease.Desk.ExtendLeaseAsync(second.Caller, new ExtendLeaseRequest { RequestId = second.RequestId, AccountId = terms.AccountId, Days = 10 });

        Assert.Equal(2, (await _lease.AccountAsync(terms.AccountId)).Extensions.Count);
    }
}
