using System.Globalization;
using Remarketing.Contracts.Auction.V1;

namespace Remarketing.Web;

/// <summary>A listing's figures as the pages write them.</summary>
public static class ListingText
{
    public static string State(ListingState state) => state switch
    {
        ListingState.Live => "live",
        ListingState.Sold => "sold",
        ListingState.Unsold => "unsold",
        ListingState.Withdrawn => "withdrawn",
        _ => "",
    };

    /// <summary>35 tenths: "3.5".</summary>
    public static string Grade(int tenths) => (tenths / 10m).ToString("0.0", CultureInfo.InvariantCulture);

    public static string Vehicle(Listing listing) => listing.Vehicle is { } vehicle ? $"{vehicle.ModelYear} {vehicle.Make} {vehicle.Model}" : listing.Vin;

    /// <summary>The current price, or before the first bid what it opens at.</summary>
    public static string Price(Listing listing) =>
        listing.CurrentPriceCents > 0 ? Money.Format(listing.CurrentPriceCents) : $"opens {Money.Format(listing.OpeningPriceCents)}";
}
