using System.Text;
using Google.Protobuf.Reflection;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Platform.Tests;

/// <summary>The v1 contracts keep the promises DESIGN section 7 and STYLE make for them.</summary>
public class ContractCatalogTests
{
    private static readonly string[] RequestIdFields = ["request_id", "bid_id"];

    [Fact]
    public void EveryOperation_NamesWhoMayCallIt()
    {
        var unreachable = ContractCatalog.Operations.Where(operation => operation.Roles.Count == 0).Select(operation => operation.Path);
        Assert.Empty(unreachable);
    }

    [Fact]
    public void EveryStateChangingOperation_TakesARequestId()
    {
        var withoutId = ContractCatalog.Operations
            .Where(operation => operation.ChangesState)
            .Where(operation => !operation.Descriptor.InputType.Fields.InFieldNumberOrder().Any(field => RequestIdFields.Contains(field.Name)))
            .Select(operation => operation.Path);
        Assert.Empty(withoutId);
    }

    [Fact]
    public void EveryOperationTakingARequestId_IsMarkedStateChanging()
    {
        var unmarked = ContractCatalog.Operations
            .Where(operation => !operation.ChangesState)
            .Where(operation => operation.Descriptor.InputType.Fields.InFieldNumberOrder().Any(field => RequestIdFields.Contains(field.Name)))
            .Select(operation => operation.Path);
        Assert.Empty(unmarked);
    }

    [Fact]
    public void Money_IsInt64Cents_WithTheUnitInTheName()
    {
        var moneyWords = new[] { "price", "amount", "fee", "charge", "deposit", "cost", "payment", "balance", "total", "due" };
        var offenders = AllMessages()
            .SelectMany(message => message.Fields.InFieldNumberOrder())
            .Where(field => field.Name.EndsWith("_cents", StringComparison.Ordinal)
                ? field.FieldType != FieldType.Int64
                : moneyWords.Any(word => field.Name.Contains(word, StringComparison.Ordinal))
                  && field.FieldType is FieldType.Int64 or FieldType.Int32 or FieldType.Double or FieldType.Float)
            .Select(field => field.FullName);
        Assert.Empty(offenders);
    }

    [Fact]
    public void Instants_AreTimestamps_AndDurationsAreDurations()
    {
        var offenders = AllMessages()
            .SelectMany(message => message.Fields.InFieldNumberOrder())
            .Where(field => (field.Name.EndsWith("_at", StringComparison.Ordinal) || field.Name.EndsWith("_until", StringComparison.Ordinal) || field.Name.EndsWith("_by", StringComparison.Ordinal))
                && !IsMessageOf(field, "google.protobuf.Timestamp"))
            .Select(field => field.FullName);
        Assert.Empty(offenders);
    }

    [Fact]
    public void EveryServerStream_CanSendHeartbeatsWhileIdle()
    {
        // BidStream answers each request with its PlaceBidResponse (DESIGN section 7): it speaks only when spoken to.
        var withoutHeartbeat = ContractCatalog.Operations
            .Where(operation => operation.Descriptor.IsServerStreaming && operation.Method != "BidStream")
            .Where(operation => !operation.Descriptor.OutputType.Fields.InFieldNumberOrder()
                .Any(field => IsMessageOf(field, Heartbeat.Descriptor.FullName) && field.ContainingOneof is not null))
            .Select(operation => operation.Path);
        Assert.Empty(withoutHeartbeat);
    }

    [Fact]
    public void Contracts_FollowTheFixedLayout_AndVersionedPackages()
    {
        foreach (var service in ContractCatalog.Services)
        {
            var area = service.File.Package.Split('.')[1];
            Assert.Equal($"remarketing/{area}/v1/{area}.proto", service.File.Name);
            Assert.Equal($"remarketing.{area}.v1", service.File.Package);
        }

        Assert.Equal(
            ["remarketing.auction.v1.AuctionService", "remarketing.common.v1.ClockService", "remarketing.common.v1.HandOffService",
             "remarketing.inspection.v1.InspectionService", "remarketing.quote.v1.QuoteService", "remarketing.transport.v1.TransportService"],
            ContractCatalog.Services.Select(service => service.FullName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AuctionContract_HasTheSection7FixedPoints()
    {
        AssertFields(CreateListingRequest.Descriptor, "request_id", "vin", "grounding_dealer_id", "floor_price_cents", "buy_now_price_cents", "duration");
        Assert.True(IsMessageOf(CreateListingRequest.Descriptor.FindFieldByName("duration"), "google.protobuf.Duration"));
        AssertFields(Listing.Descriptor, "listing_id");
        AssertFields(PlaceBidRequest.Descriptor, "listing_id", "bid_id", "amount_cents", "max_amount_cents");
        AssertFields(PlaceBidResponse.Descriptor, "bid_id", "accepted", "current_price_cents", "caller_is_high_bidder", "sequence");
        AssertFields(WatchListingRequest.Descriptor, "listing_id", "after_sequence");
        AssertFields(ListingEvent.Descriptor, "sequence", "snapshot");

        var bidStream = AuctionService.Descriptor.FindMethodByName("BidStream");
        Assert.True(bidStream.IsClientStreaming && bidStream.IsServerStreaming);
        Assert.Equal(PlaceBidRequest.Descriptor, bidStream.InputType);
        Assert.Equal(PlaceBidResponse.Descriptor, bidStream.OutputType);
        Assert.True(AuctionService.Descriptor.FindMethodByName("WatchMarket").IsServerStreaming);
    }

    [Fact]
    public void EveryServiceAnOperationNames_SignsTheServiceRole_AndEveryServiceRoleOperationNamesSome()
    {
        var signers = Signers.Services.Append(Signers.Gateway).ToHashSet(StringComparer.Ordinal);

        Assert.All(ContractCatalog.Operations, operation =>
        {
            Assert.Subset(signers, operation.Services.ToHashSet(StringComparer.Ordinal));
            Assert.Equal(operation.Roles.Contains(RoleNames.Service), operation.Services.Count > 0);
        });
    }

    [Fact]
    public void TheDocumentedRoleTable_IsTheContractsRoleTable()
    {
        RepositoryLayout.AssertGeneratedSection("calling.md", "roles", RenderRoleTable());
    }

    /// <summary>The role table of docs/calling.md, rendered from the contracts' access options.</summary>
    private static string RenderRoleTable()
    {
        var table = new StringBuilder();
        table.AppendLine($"| operation | {string.Join(" | ", RoleNames.All)} | rate limited |");
        table.AppendLine($"|---|{string.Concat(RoleNames.All.Select(_ => ":-:|"))}:-:|");
        foreach (var operation in ContractCatalog.Operations)
        {
            var service = operation.Service[(operation.Service.LastIndexOf('.') + 1)..];
            // The service column names which services may call it.
            var marks = RoleNames.All.Select(role => !operation.Roles.Contains(role) ? " "
                : role == RoleNames.Service ? string.Join(", ", operation.Services) : "✓");
            table.AppendLine($"| {service}/{operation.Method} | {string.Join(" | ", marks)} | {(operation.ChangesState ? "✓" : " ")} |");
        }

        return table.ToString();
    }

    private static bool IsMessageOf(FieldDescriptor field, string messageName) =>
        field.FieldType == FieldType.Message && field.MessageType.FullName == messageName;

    private static void AssertFields(MessageDescriptor message, params string[] names)
    {
        foreach (var name in names)
            Assert.True(message.FindFieldByName(name) is not null, $"{message.FullName} has no field {name}");
    }

    private static IEnumerable<MessageDescriptor> AllMessages() =>
        ContractCatalog.Services.Select(service => service.File).Distinct()
            .SelectMany(file => file.MessageTypes.Concat(file.Dependencies.Where(dependency => dependency.Package.StartsWith("remarketing.", StringComparison.Ordinal)).SelectMany(dependency => dependency.MessageTypes)))
            .Distinct();
}
