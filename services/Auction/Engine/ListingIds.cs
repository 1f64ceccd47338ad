using System.Security.Cryptography;
using System.Text;
using Remarketing.ServiceDefaults.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Auction.Engine;

/// <summary>How the engine names listings and sales, and the amounts it takes.</summary>
public static class ListingIds
{
    public static void Require(string listingId)
    {
        if (string.IsNullOrWhiteSpace(listingId))
            throw DomainException.InvalidArgument("listing_id is required");
    }

    /// <summary>The same caller and request id always name the same listing, so a retried create cannot make two.</summary>
    public static string For(string creator, string requestId) => "L-" + CompositeKey.Hashed(creator, requestId)[..16];

    /// <summary>What a create asked, so a retry of its request id with other content is told apart.</summary>
    public static string Fingerprint(NewListing request) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.ToString())))[..32];

    public static string NewProofOfSale() => "POS-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(10));
}

/// <summary>An amount in cents a listing or bid takes: not negative (nor 0 unless allowed), not over the most the engine takes.</summary>
public static class ListingAmounts
{
    public static void Require(long cents, string field, bool allowZero)
    {
        if (cents < 0 || (!allowZero && cents == 0))
            throw DomainException.InvalidArgument($"{field} must be {(allowZero ? "0 or more" : "more than 0")} cents");
        if (cents > AuctionOptions.MaximumAmountCents)
            throw DomainException.InvalidArgument($"{field} is over {Cents.Format(AuctionOptions.MaximumAmountCents)}: check the amount (it is in cents)");
    }
}
