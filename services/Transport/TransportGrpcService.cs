using Remarketing.Contracts.Transport.V1;

namespace Remarketing.Transport;

/// <summary>
/// The Transport service: pickup orders, carriers and release documents.
/// Operations not overridden here answer Unimplemented (see Program.cs for where they come).
/// </summary>
public sealed class TransportGrpcService : TransportService.TransportServiceBase;
