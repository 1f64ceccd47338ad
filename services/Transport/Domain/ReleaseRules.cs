using System.Security.Cryptography;
using System.Text;
using Remarketing.ServiceDefaults.Errors;

namespace Remarketing.Transport.Domain;

/// <summary>
/// Whether a document presented at the lot releases the vehicle: the order's proof of sale (buyer
/// pickup) or the assigned carrier's current bill of lading while it is valid (transporter pickup),
/// and nothing else.
/// </summary>
public static class ReleaseRules
{
    /// <summary>Null when <paramref name="document"/> releases the vehicle of <paramref name="order"/> at <paramref name="now"/>; otherwise why not.</summary>
    /// <param name="documentOrderId">The order the document was issued for, if it is one this service knows.</param>
    public static Refusal? Check(PickupOrderRecord order, string document, string? documentOrderId, DateTimeOffset now)
    {
        if (order.IsReleased)
        {
            return new Refusal(DomainErrorKind.FailedPrecondition,
                $"the vehicle of pickup order {order.OrderId} was already released at {order.ReleasedAt:yyyy-MM-dd HH:mm:ss}Z", Recorded: null);
        }
        if (order.State == OrderState.AwaitingCarrier)
        {
            return new Refusal(DomainErrorKind.FailedPrecondition,
                $"pickup order {order.OrderId} has no carrier yet: the vehicle is released only to the assigned carrier, against its bill of lading",
                "release asked before a carrier was assigned");
        }

        if (order.Kind == PickupType.Buyer)
            return Matches(document, order.ProofOfSaleId) ? null : Wrong(order, documentOrderId, "the buyer's proof of sale");

        if (order.Bill is { } bill && Matches(document, bill.Id))
        {
            return bill.IsValidAt(now) ? null : new Refusal(DomainErrorKind.FailedPrecondition,
                $"the bill of lading presented expired at {bill.ExpiresAt:yyyy-MM-dd HH:mm:ss}Z: the carrier must be assigned again to get a new one",
                $"the carrier's bill of lading, expired at {bill.ExpiresAt:yyyy-MM-dd HH:mm:ss}Z");
        }
        if (order.EarlierBills.FirstOrDefault(earlier => Matches(document, earlier.Id)) is { } replaced)
        {
            return new Refusal(DomainErrorKind.FailedPrecondition,
                $"the bill of lading presented expired at {replaced.ExpiresAt:yyyy-MM-dd HH:mm:ss}Z and has been replaced: release only against the assigned carrier's current bill of lading",
                $"an earlier bill of lading of this order (carrier {replaced.CarrierId}), expired at {replaced.ExpiresAt:yyyy-MM-dd HH:mm:ss}Z");
        }
        return Wrong(order, documentOrderId, "the assigned carrier's bill of lading");
    }

    /// <summary>
    /// A document that is not this order's. The dealer is not told whether it belongs to another
    /// order; the center is.
    /// </summary>
    private static Refusal Wrong(PickupOrderRecord order, string? documentOrderId, string rightDocument) =>
        new(DomainErrorKind.PermissionDenied,
            $"the document presented does not release the vehicle of pickup order {order.OrderId}: release it only against {rightDocument}",
            documentOrderId is not null && documentOrderId != order.OrderId
                ? $"a document of another pickup order ({documentOrderId}) instead of {rightDocument}"
                : $"a document that is not {rightDocument}");

    /// <summary>Compared in constant time: how long a comparison takes says nothing about the right document.</summary>
    private static bool Matches(string presented, string expected) =>
        expected.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
