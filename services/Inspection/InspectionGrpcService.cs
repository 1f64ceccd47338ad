using Remarketing.Contracts.Inspection.V1;

namespace Remarketing.Inspection;

/// <summary>
/// The Inspection service: inspection orders, condition reports and the remarketing center's queue.
/// Operations not overridden here answer Unimplemented (see Program.cs for where they come).
/// </summary>
public sealed class InspectionGrpcService : InspectionService.InspectionServiceBase;
