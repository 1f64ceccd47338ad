using System.Text;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Remarketing.Contracts.Quote.V1;

namespace Remarketing.Platform.Tests;

/// <summary>
/// Each dealer role's view decides, for every message the role can receive, every field: shown, or
/// withheld with the reason; it lists nothing the role cannot receive; docs/security.md prints it.
/// </summary>
public sealed class CallerViewsTests
{
    public static TheoryData<string> Roles => [.. CallerViews.All.Select(view => view.Role)];

    [Theory]
    [MemberData(nameof(Roles))]
    public void EveryMessageTheRoleCanReceive_HasAList_DecidingEveryField(string role)
    {
        var view = CallerViews.For(role)!;

        var reachable = Reachable(view);
        var undecided = reachable.SelectMany(message => view.Of(message) is { } list
            ? message.Fields.InDeclarationOrder().Where(field => !list.Decides(field)).Select(field => $"{message.FullName}.{field.Name}")
            : [$"{message.FullName} (no list)"]);
        var unreachable = view.Messages.Select(list => list.Message).Except(reachable).Select(message => message.FullName);

        Assert.Empty(undecided);
        Assert.Empty(unreachable);
    }

    [Fact]
    public void Cut_ClearsEveryFieldTheRoleIsNotShown_InNestedMessagesToo_AndLeavesTheOriginal()
    {
        var listing = new Listing { ListingId = "L-1", CaseId = "C-A-123-1", FloorPriceCents = 12_000_00, CurrentPriceCents = 9_000_00, Outcome = new ListingOutcome { BuyerDealerId = "B-1", ProofOfSaleId = "POS-1" } };
        var buyNow = new BuyNowResponse { Listing = listing, ProofOfSaleId = "POS-1" };

        var forTheGroundingDealer = CallerViews.GroundingDealer.Cut(listing);
        var forABuyer = CallerViews.Buyer.Cut(buyNow);

        Assert.Equal(("L-1", "", 0L, 9_000_00L, "", ""), (forTheGroundingDealer.ListingId, forTheGroundingDealer.CaseId, forTheGroundingDealer.FloorPriceCents,
            forTheGroundingDealer.CurrentPriceCents, forTheGroundingDealer.Outcome.BuyerDealerId, forTheGroundingDealer.Outcome.ProofOfSaleId));
        Assert.Equal(("", 0L, "B-1", "POS-1"), (forABuyer.Listing.CaseId, forABuyer.Listing.FloorPriceCents, forABuyer.Listing.Outcome.BuyerDealerId, forABuyer.ProofOfSaleId));
        Assert.Equal(("C-A-123-1", 12_000_00L, "B-1"), (listing.CaseId, listing.FloorPriceCents, listing.Outcome.BuyerDealerId));
    }

    [Fact]
    public void Cut_OfAMessageTheRoleSeesWhole_IsTheMessageItself()
    {
        var bid = new PlaceBidResponse { BidId = "b-1", CallerMaxAmountCents = 15_000_00, EndsAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch) };
        var account = new LeaseAccount { Terms = new LeaseTerms { MonthlyPaymentCents = 420_00 } };

        Assert.Same(bid, CallerViews.Buyer.Cut(bid));
        Assert.Equal(0, CallerViews.GroundingDealer.Cut(account).Terms.MonthlyPaymentCents);
        // A message no list covers is never passed on whole: nothing of it is shown.
        Assert.Equal(0, CallerViews.Buyer.Cut(account).CalculateSize());
    }

    [Fact]
    public void TheDocumentedViews_AreTheContractsViews()
    {
        RepositoryLayout.AssertGeneratedSection("security.md", "views", RenderViews());
    }

    /// <summary>Every message the role can receive: the answers of the operations it may call, and what their shown fields carry.</summary>
    private static HashSet<MessageDescriptor> Reachable(CallerView view)
    {
        var reached = new HashSet<MessageDescriptor>();
        var next = new Queue<MessageDescriptor>(ContractCatalog.Operations.Where(operation => operation.Roles.Contains(view.Role)).Select(operation => operation.Descriptor.OutputType));
        while (next.TryDequeue(out var message))
        {
            if (!reached.Add(message) || view.Of(message) is not { } list)
                continue;
            foreach (var field in message.Fields.InDeclarationOrder().Where(field => field.FieldType == FieldType.Message && list.Shows(field)))
                next.Enqueue(field.MessageType);
        }
        return reached;
    }

    /// <summary>The table of docs/security.md: per role, each message it can receive that is not shown whole, with what is withheld and why.</summary>
    private static string RenderViews()
    {
        var table = new StringBuilder();
        table.AppendLine("| role | message | withheld | why |");
        table.AppendLine("|---|---|---|---|");
        foreach (var view in CallerViews.All)
        {
            foreach (var list in view.Messages.OrderBy(list => list.Message.FullName, StringComparer.Ordinal))
            {
                foreach (var reason in list.Fields.Where(field => field.Value is not null).GroupBy(field => field.Value!, StringComparer.Ordinal))
                    table.AppendLine($"| {view.Role} | {list.Message.FullName} | {string.Join(", ", reason.Select(field => field.Key.Name))} | {reason.Key} |");
            }
        }
        return table.ToString();
    }
}
