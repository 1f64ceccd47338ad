using Remarketing.Contracts.Auction.V1;
using Spectre.Console;

namespace Remarketing.Simulator.Output;

/// <summary>Live listings as a table: the vehicle, price, whether the floor is met, bids and time left on the shared clock.</summary>
public static class MarketTable
{
    public static Table Render(IEnumerable<Listing> listings, DateTimeOffset now, int rows, out int live)
    {
        var open = listings.Where(listing => listing.State == ListingState.Live).OrderBy(listing => listing.EndsAt.ToDateTimeOffset()).ThenBy(listing => listing.ListingId, StringComparer.Ordinal).ToList();
        live = open.Count;
        var table = new Table().Border(TableBorder.Rounded).Expand();
        table.AddColumns("listing", "vehicle", "grade", "price", "floor", "bids", "leader", "time left");
        foreach (var column in table.Columns.Skip(2))
            column.RightAligned();
        foreach (var listing in open.Take(rows))
        {
            var vehicle = listing.Vehicle is { } v ? $"{v.ModelYear} {v.Make} {v.Model}" : listing.Vin;
            table.AddRow(
                Markup.Escape(listing.ListingId),
                Markup.Escape(vehicle),
                $"{listing.ConditionGradeTenths / 10}.{listing.ConditionGradeTenths % 10}",
                listing.CurrentPriceCents == 0 ? $"[grey]opens {Money.Dollars(listing.OpeningPriceCents)}[/]" : Money.Dollars(listing.CurrentPriceCents),
                listing.FloorMet ? "[green]met[/]" : "[yellow]not met[/]",
                listing.BidCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(listing.HighBidderAlias),
                Money.TimeLeft(listing.EndsAt.ToDateTimeOffset() - now));
        }
        if (open.Count > rows)
            table.Caption($"[grey]{open.Count - rows} more live listings[/]");
        if (open.Count == 0)
            table.AddRow("[grey]no live listing yet[/]", "", "", "", "", "", "", "");
        return table;
    }
}
