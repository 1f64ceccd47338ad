using Grpc.Core;
using Remarketing.Contracts;
using Remarketing.Contracts.Common.V1;

namespace Remarketing.Simulator.Running;

/// <summary>One service's outbox as it reports it: hand-offs still being delivered, and those set aside as failed.</summary>
public sealed record HandOffState(string Service, long Pending, int Failed);

/// <summary>
/// The services' own account of their hand-offs (ListFailedHandOffs on each, as the remarketing
/// center): what the live view shows, and what the stepped mode waits on before it moves the clock.
/// </summary>
public sealed class HandOffWatch(Gateway gateway)
{
    public static readonly IReadOnlyList<string> Services = ["quote", "inspection", "auction", "transport"];

    private readonly object _gate = new();
    private IReadOnlyList<HandOffState> _last = [];

    /// <summary>The last reading, per service (empty before the first).</summary>
    public IReadOnlyList<HandOffState> Last
    {
        get
        {
            lock (_gate)
                return _last;
        }
    }

    /// <summary>Asks every service now; a service that cannot answer makes the call throw (the caller reports it).</summary>
    public async Task<IReadOnlyList<HandOffState>> ReadAsync(CancellationToken cancellationToken)
    {
        var headers = await gateway.AsAsync(BackOffice.CenterId, RoleNames.Remarketing, cancellationToken);
        var states = new List<HandOffState>(Services.Count);
        foreach (var service in Services)
            states.Add(await ReadAsync(service, headers, cancellationToken));
        lock (_gate)
            _last = states;
        return states;
    }

    private async Task<HandOffState> ReadAsync(string service, Metadata headers, CancellationToken cancellationToken)
    {
        long pending = 0;
        var failed = 0;
        var page = "";
        do
        {
            var request = new ListFailedHandOffsRequest { Page = new() { PageSize = 200, PageToken = page } };
            var answer = await gateway.HandOffs.ListFailedHandOffsAsync(request, new CallOptions(ServiceMetadata.For(service, headers), DateTime.UtcNow.AddSeconds(10), cancellationToken));
            pending = answer.Pending;
            failed += answer.HandOffs.Count;
            page = answer.Page?.NextPageToken ?? "";
        }
        while (page.Length > 0);
        return new HandOffState(service, pending, failed);
    }
}
