using Google.Protobuf.Reflection;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Contracts.Common.V1;
using Remarketing.Contracts.Inspection.V1;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Contracts.Transport.V1;

namespace Remarketing.Contracts;

/// <summary>
/// Every operation of the v1 contracts with the roles its <c>(remarketing.common.v1.access)</c>
/// option names: the one role table the gateway and the services both read.
/// </summary>
public static class ContractCatalog
{
    public static IReadOnlyList<ServiceDescriptor> Services { get; } =
    [
        QuoteService.Descriptor,
        InspectionService.Descriptor,
        AuctionService.Descriptor,
        TransportService.Descriptor,
        ClockService.Descriptor,
        HandOffService.Descriptor,
    ];

    public static IReadOnlyList<ContractOperation> Operations { get; } =
        Services.SelectMany(service => service.Methods).Select(ToOperation).ToArray();

    private static readonly Dictionary<string, ContractOperation> OperationsByPath =
        Operations.ToDictionary(operation => operation.Path, StringComparer.Ordinal);

    /// <summary>The area of the shared operations (the clock, the hand-offs), which every service serves.</summary>
    public const string CommonArea = "common";

    /// <summary>
    /// The metadata naming whose operation a call is, for operations every service serves for
    /// itself (<see cref="IsEachServicesOwn"/>): the gateway routes the call by it.
    /// </summary>
    public const string ServiceHeader = "remarketing-service";

    /// <summary>The services that answer calls, by area: where <see cref="ServiceHeader"/> may point.</summary>
    public static IReadOnlyList<string> ServiceAreas { get; } = ["quote", "inspection", "auction", "transport"];

    /// <summary>Whether every service serves the operation for its own data (its hand-offs), so a call says whose; otherwise one backend answers it.</summary>
    public static bool IsEachServicesOwn(ContractOperation operation) => operation.Service == HandOffService.Descriptor.FullName;

    /// <summary>A service's contract area, from its package: "quote" for remarketing.quote.v1.</summary>
    public static string AreaOf(ServiceDescriptor service) => service.File.Package.Split('.')[1];

    /// <summary>The backend that answers an area's operations: the area's own service, or for the shared ones <paramref name="commonBackend"/>.</summary>
    public static string BackendOf(string area, string commonBackend) => area == CommonArea ? commonBackend : area;

    /// <summary>The operation at an HTTP/2 path, or null for a path outside the contracts (health, reflection).</summary>
    public static ContractOperation? FindByPath(string path) =>
        OperationsByPath.GetValueOrDefault(path);

    /// <summary>The role as written in a token's "role" claim: ROLE_GROUNDING_DEALER is "grounding_dealer".</summary>
    public static string ClaimValue(Role role) =>
        role switch
        {
            Role.Buyer => RoleNames.Buyer,
            Role.GroundingDealer => RoleNames.GroundingDealer,
            Role.Remarketing => RoleNames.Remarketing,
            Role.Inspector => RoleNames.Inspector,
            Role.Transporter => RoleNames.Transporter,
            Role.Service => RoleNames.Service,
            _ => throw new ArgumentOutOfRangeException(nameof(role), role, "no claim value for this role"),
        };

    private static ContractOperation ToOperation(MethodDescriptor method)
    {
        var access = method.GetOptions()?.GetExtension(CommonExtensions.Access)
            ?? throw new InvalidOperationException(
                $"{method.FullName} declares no (remarketing.common.v1.access) option: every operation must say who may call it.");
        var area = AreaOf(method.Service);
        if (access.Roles.Contains(Role.Service) != (access.Services.Count > 0))
        {
            throw new InvalidOperationException(
                $"{method.FullName}'s access option names {(access.Services.Count > 0 ? "services without ROLE_SERVICE" : "ROLE_SERVICE without services")}: " +
                "a service may call an operation only if the option names both the role and which services");
        }

        return new ContractOperation(
            Path: $"/{method.Service.FullName}/{method.Name}",
            Service: method.Service.FullName,
            Method: method.Name,
            Area: area,
            Roles: access.Roles.Select(ClaimValue).ToHashSet(StringComparer.Ordinal),
            Services: access.Services.ToHashSet(StringComparer.Ordinal),
            ChangesState: access.ChangesState,
            IsStreaming: method.IsClientStreaming || method.IsServerStreaming,
            Descriptor: method);
    }
}
