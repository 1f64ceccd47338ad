namespace Remarketing.Transport.Domain;

/// <param name="State">Null: every state.</param>
/// <param name="PageSize">0: the default.</param>
public sealed record OrderQuery(OrderState? State, bool OverdueOnly, int PageSize, string PageToken);
