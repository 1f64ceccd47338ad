namespace Remarketing.Auction.Engine;

/// <param name="Fingerprint">When the listing existed already: the fingerprint it was created with.</param>
public sealed record Creation(bool Created, string Fingerprint);
