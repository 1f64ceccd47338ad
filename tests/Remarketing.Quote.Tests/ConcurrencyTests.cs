using StackExchange.Redis;

namespace Remarketing.Quote.Tests;

/// <summary>Changes to one account from many callers at once: each is decided on the account as it stands, never on a stale copy.</summary>
[Collection(RedisCollection.Name)]
public sealed class ConcurrencyTests(RedisConnectionFixture redis)
{
    private const int Callers = 8;

    private readonly TestLeaseEnd _lease = new(redis.Connection);

    /// <summary>Each caller on its own connection and desk, as separate Quote instances would be.</summary>
    private async Task<IReadOnlyList<Exception?>> AllAtOnceAsync(Func<QuoteCalls, int, Task> call)
    {
        var connections = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration)));
        try
        {
            var desks = connections.Select(connection => _lease.CallsOn(new QuoteStore(connection, _lease.Outbox))).ToList();
            return await Task.WhenAll(desks.Select((desk, index) => Task.Run(async () =>
            {
                try
                {
                    await call(desk, index);
                    return null;
                }
                catch (DomainException refusal)
                {
                    return (Exception)refusal;
                }
            })));
        }
        finally
        {
            foreach (var connection in connections)
                await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task NotifyReturn_ByManyDealersAtOnce_OpensExactlyOneCase()
    {
        var terms = await _lease.OpenNewAsync();
        for (var index = 0; index < Callers; index++)
            await _lease.FranchiseAsync($"D-{index}", terms.Make);

        var outcomes = await AllAtOnceAsync((desk, index) =>
            desk.NotifyReturnAsync(new Caller($"D-{index}", RoleNames.GroundingDealer), TestLeaseEnd.Return(terms, _lease.Today, 20_000 + index)));

        Assert.Single(outcomes, outcome => outcome is null);
        Assert.All(outcomes.OfType<DomainException>(), refusal => Assert.Equal(DomainErrorKind.FailedPrecondition, refusal.Kind));
        var account = await _lease.ReadAsync(terms);
        var only = Assert.Single(account.Cases);
        Assert.Single(await _lease.QueuedForRemarketingAsync(only.CaseId));
    }

    [Fact]
    public async Task ExtendLease_AskedManyTimesAtOnce_NeverPassesTheLimit()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.EndingSoon());

        var outcomes = await AllAtOnceAsync((desk, _) =>
            desk.ExtendLeaseAsync(TestLeaseEnd.Center, new ExtendLeaseRequest { RequestId = TestLeaseEnd.NewRequestId(), AccountId = terms.AccountId, Days = 30 }));

        // Defaults: at most 3 extensions and 90 days.
        Assert.Equal(3, outcomes.Count(outcome => outcome is null));
        var account = await _lease.ReadAsync(terms);
        Assert.Equal((3, 90), (account.Extensions.Count, account.ExtensionDays));
    }

    [Fact]
    public async Task SameRequest_SentByManyInstancesAtOnce_IsAppliedOnce()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.EndingSoon());
        var request = new ExtendLeaseRequest { RequestId = TestLeaseEnd.NewRequestId(), AccountId = terms.AccountId, Days = 7 };

        var answers = new LeaseExtension[Callers];
        await AllAtOnceAsync(async (desk, index) => answers[index] = await desk.ExtendLeaseAsync(TestLeaseEnd.Center, request.Clone()));

        Assert.Single(answers.Distinct());
        Assert.Single((await _lease.ReadAsync(terms)).Extensions);
    }
}
