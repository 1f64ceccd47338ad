namespace Remarketing.Contracts;

/// <summary>The role claim values of tokens.</summary>
public static class RoleNames
{
    public const string Buyer = "buyer";
    public const string GroundingDealer = "grounding_dealer";
    public const string Remarketing = "remarketing";
    public const string Inspector = "inspector";
    public const string Transporter = "transporter";
    public const string Service = "service";

    public static IReadOnlyList<string> All { get; } =
        [Buyer, GroundingDealer, Remarketing, Inspector, Transporter, Service];
}
