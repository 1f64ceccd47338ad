using Remarketing.Quote.Domain;
using Remarketing.ServiceDefaults.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Storage;

namespace Remarketing.Quote;

/// <summary>The franchised dealers and their makes: who may take a return of which vehicle.</summary>
public sealed class DealerRegistry(QuoteStore store, TimeProvider clock)
{
    public async Task<DealerRecord> RegisterAsync(Caller caller, DealerRegistration registration)
    {
        var dealerId = Ids.Required(registration.DealerId, "dealer_id");
        var (makes, problem) = DealerRecord.Normalized(registration.Makes);
        if (problem is not null)
            throw DomainException.InvalidArgument(problem);
        var now = clock.GetUtcNow();
        return await store.RegisterDealerAsync(dealerId, IdempotentRequest.Of("RegisterDealer", caller, registration.RequestId, registration with { Makes = makes }),
            _ => new DealerRecord(dealerId, makes, now));
    }

    public async Task<DealerRecord> GetAsync(string dealerId) =>
        await store.FindDealerAsync(Ids.Required(dealerId, "dealer_id")) ?? throw DomainException.NotFound($"no dealer {dealerId.Trim()} in the dealer registry");
}
