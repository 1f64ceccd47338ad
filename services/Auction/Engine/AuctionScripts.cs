using System.Reflection;

namespace Remarketing.Auction.Engine;

/// <summary>
/// The Lua scripts of the engine (Scripts/*.lua, embedded), each preceded by
/// <see cref="ListingSchema.LuaPrelude"/>, the names of the records it reads and writes.
/// </summary>
public static class AuctionScripts
{
    public static string PlaceBid { get; } = Load("place_bid.lua");

    public static string CloseListing { get; } = Load("close_listing.lua");

    public static string BuyNow { get; } = Load("buy_now.lua");

    public static string CreateListing { get; } = Load("create_listing.lua");

    public static string PublishHandOffs { get; } = Load("publish_hand_offs.lua");

    public static string SwapClaim { get; } = Load("swap_claim.lua");

    private static string Load(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Remarketing.Auction.Scripts.{name}")
            ?? throw new InvalidOperationException($"script {name} is not embedded");
        using var reader = new StreamReader(stream);
        return ListingSchema.LuaPrelude + reader.ReadToEnd();
    }
}
