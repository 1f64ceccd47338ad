using Grpc.Core;
using Remarketing.Contracts;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Contracts.Common.V1;
using Remarketing.Simulator.Running;
using Spectre.Console;

namespace Remarketing.Simulator.Output;

/// <summary>
/// <c>simulator market</c> (<c>./run.sh watch</c>): every live listing from WatchMarket, as the
/// remarketing center sees it, refreshing in place until Ctrl-C; progress lines when not on a terminal.
/// </summary>
public static class MarketWatch
{
    private const int Rows = 30;

    public static async Task<int> RunAsync(IReadOnlyList<Uri> grpc, IReadOnlyList<Uri> http, bool plain, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var gateway = new Gateway(grpc, http);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var interrupt = Terminal.OnInterrupt(stop);
        Metadata headers;
        RunningClock clock;
        try
        {
            headers = await gateway.AsAsync(BackOffice.CenterId, RoleNames.Remarketing, stop.Token);
            clock = RunningClock.From(await gateway.Clock.GetClockAsync(new GetClockRequest(), headers, cancellationToken: stop.Token));
        }
        catch (Exception exception) when (exception is HttpRequestException or GatewayUnavailableException or RpcException)
        {
            await error.WriteLineAsync($"cannot watch the market through {string.Join(", ", grpc)}: {exception.Message}; is the system running? (./run.sh)");
            return 2;
        }

        var market = new Dictionary<string, Listing>(StringComparer.Ordinal);
        var changes = 0L;
        var watching = WatchAsync(gateway, headers, market, () => changes++, error, stop.Token);
        var console = Terminal.For(output, plain, out var live);
        IReadOnlyList<Listing> Snapshot()
        {
            lock (market)
                return [.. market.Values];
        }
        if (live)
        {
            await console.Live(new Text("connecting...")).StartAsync(async context =>
            {
                while (!watching.IsCompleted)
                {
                    var table = MarketTable.Render(Snapshot(), clock.Now, Rows, out var open);
                    table.Title($"SmartAuction, live listings ({open}) at {clock.Now:yyyy-MM-dd HH:mm} simulated - Ctrl-C to stop");
                    context.UpdateTarget(table);
                    await Task.WhenAny(watching, Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None));
                }
            });
        }
        else
        {
            while (!watching.IsCompleted)
            {
                await Task.WhenAny(watching, Task.Delay(SimulationRunner.PlainInterval, CancellationToken.None));
                var listings = Snapshot();
                console.WriteLine($"{clock.Now:yyyy-MM-dd HH:mm} | live listings {listings.Count(listing => listing.State == ListingState.Live)} | " +
                    $"floor met {listings.Count(listing => listing.State == ListingState.Live && listing.FloorMet)} | changes seen {changes}");
            }
        }
        return await watching;
    }

    private static async Task<int> WatchAsync(Gateway gateway, Metadata headers, Dictionary<string, Listing> market, Action changed, TextWriter error, CancellationToken cancellationToken)
    {
        await Cast.KeepStreamingAsync("market stream", async token =>
        {
            using var call = gateway.Auction.WatchMarket(new WatchMarketRequest(), headers, cancellationToken: token);
            await foreach (var change in call.ResponseStream.ReadAllAsync(token))
            {
                if (change.KindCase != MarketEvent.KindOneofCase.Listing)
                    continue;
                lock (market)
                {
                    if (change.Listing.State == ListingState.Live)
                        market[change.Listing.ListingId] = change.Listing;
                    else
                        market.Remove(change.Listing.ListingId);
                }
                changed();
            }
            return false;
        }, message => error.WriteLine(message), TimeSpan.FromSeconds(1), cancellationToken);
        return 0;
    }
}
