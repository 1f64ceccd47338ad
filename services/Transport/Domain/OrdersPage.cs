namespace Remarketing.Transport.Domain;

/// <param name="Orders">Each as the caller may see it.</param>
/// <param name="NextPageToken">Empty on the last page.</param>
public sealed record OrdersPage(IReadOnlyList<PickupOrderRecord> Orders, DateTimeOffset AsOf, string NextPageToken);
