using Grpc.Core;
using Remarketing.Simulator.Bots;
using Remarketing.Simulator.Scenario;

namespace Remarketing.Simulator.Running;

/// <summary>
/// One run: the seeded scenario fed onto the agenda as the clock reaches it, the simulated people
/// acting in order of time, the buyers' streams, and at the end (the duration, or the caller's
/// cancellation) the summary. Everything goes through the gateway.
/// </summary>
public sealed class Simulation
{
    /// <summary>Accounts are opened up to this long before their return, so the scenario is read this far ahead.</summary>
    private static readonly TimeSpan LookAhead = TimeSpan.FromDays(5);

    private readonly Cast _cast;
    private readonly ScenarioGenerator _scenario;
    private readonly BackOffice _center;
    private readonly GroundingDealers _dealers;
    private readonly Inspectors _inspectors;
    private readonly Carriers _carriers;
    private readonly List<BuyerBot> _buyers;
    private readonly TimeSpan? _returnsFor;
    private readonly TimeProvider _realTime;
    private PlannedVehicle? _nextPlanned;

    public Simulation(Gateway gateway, ISimulationClock clock, SimulationSettings settings, TimeProvider realTime)
    {
        Settings = settings;
        Start = clock.Now;
        Seen = new Observations(realTime);
        var runTag = ScenarioGenerator.RunTag(Start.ToUnixTimeMilliseconds());
        _cast = new Cast(gateway, clock, new Agenda(), Seen, settings, runTag);
        _scenario = new ScenarioGenerator(settings.Seed, settings.ReturnsPerDay, Start, runTag);
        _center = new BackOffice(_cast);
        _dealers = new GroundingDealers(_cast, _center);
        _inspectors = new Inspectors(_cast);
        _carriers = new Carriers(_cast, _dealers, _center);
        BuyingDealers = ScenarioGenerator.BuyingDealers(settings.Seed, settings.Dealers);
        _buyers = BuyingDealers.Select((dealer, order) => new BuyerBot(_cast, new Bidder(dealer), order, _dealers)).ToList();
        _returnsFor = settings.ReturnsFor ?? settings.Duration;
        HandOffs = new HandOffWatch(gateway);
        _realTime = realTime;
    }

    /// <summary>The services' hand-offs as they report them.</summary>
    public HandOffWatch HandOffs { get; }

    public SimulationSettings Settings { get; }

    public DateTimeOffset Start { get; }

    public DateTimeOffset? End => Settings.Duration is { } duration ? Start + duration : null;

    public ISimulationClock Clock => _cast.Clock;

    public Observations Seen { get; }

    public IReadOnlyList<BuyingDealer> BuyingDealers { get; }

    public int Watching => _buyers.Sum(buyer => buyer.Watching);

    /// <summary>How late the agenda runs against the shared clock (the machine cannot keep up with the speed).</summary>
    public TimeSpan Behind { get; private set; }

    /// <summary>Runs until the duration has passed or <paramref name="cancellationToken"/> is cancelled; then reads the settlements and sums up.</summary>
    public async Task<SimulationSummary> RunAsync(TimeProvider realTime, CancellationToken cancellationToken)
    {
        var began = realTime.GetTimestamp();
        using var stopStreams = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var market = _center.WatchMarketAsync(stopStreams.Token);
        var stepped = _cast.Clock as SteppedClock;
        var handOffs = stepped is null ? WatchHandOffsAsync(stopStreams.Token) : Task.CompletedTask;
        try
        {
            _cast.Recurring("scenario", TimeSpan.FromHours(6), FeedScenarioAsync);
            foreach (var company in Settings.InspectionCompanies)
                _cast.Recurring($"inspector:{company}", TimeSpan.FromMinutes(30), token => _inspectors.LookForOrdersAsync(company, token));
            _cast.Recurring("center:queue", TimeSpan.FromHours(2), _center.WorkQueueAsync);
            _cast.Recurring("center:sweep", TimeSpan.FromHours(3), _center.SweepClosedListingsAsync);
            foreach (var carrier in _carriers.Ids)
                _cast.Recurring($"carrier:{carrier}", TimeSpan.FromHours(1), token => _carriers.LookForPickupsAsync(carrier, token));
            foreach (var buyer in _buyers)
                buyer.Start();

            if (stepped is not null && Settings.Step is { } step)
                await RunSteppedAsync(stepped, step, cancellationToken);
            else
                await RunAgendaAsync(cancellationToken);
        }
        catch (Exception exception) when (cancellationToken.IsCancellationRequested
            && exception is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // Ctrl-C: stop where we are and sum up (a call under way when it came ends Cancelled).
        }
        finally
        {
            await stopStreams.CancelAsync();
            foreach (var buyer in _buyers)
                await buyer.DisposeAsync();
            await market;
            await handOffs;
        }
        // The market as the Auction holds it now, not as the stream last showed it.
        await _center.LookUpLiveListingsAsync(_cast.Now, CancellationToken.None);
        return await SimulationSummary.MakeAsync(this, _center, realTime.GetElapsedTime(began), CancellationToken.None);
    }

    private async Task RunAgendaAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (next, changed) = _cast.Agenda.Peek();
            var until = next ?? _cast.Now + TimeSpan.FromHours(1);
            if (End is { } end && until > end)
            {
                await _cast.Clock.WaitUntilAsync(end, changed, cancellationToken);
                if (_cast.Clock.Now >= end)
                    return;
                continue;
            }
            await _cast.Clock.WaitUntilAsync(until, changed, cancellationToken);
            var now = _cast.Clock.Now;
            foreach (var (at, _, step) in _cast.Agenda.TakeDue(now))
            {
                Behind = _cast.Clock.Now - at;
                await step(cancellationToken);
            }
        }
    }

    /// <summary>
    /// The stepped run: at each instant of the paused clock everyone does what is due, as often as
    /// that books more for the same instant, until all is quiet; then the clock moves on by the step
    /// (or to the end). Nothing races the clock, so the same seed gives the same run.
    /// </summary>
    private async Task RunSteppedAsync(SteppedClock clock, TimeSpan step, CancellationToken cancellationToken)
    {
        var settle = Settings.Settle ?? SimulationSettings.DefaultSettle;
        while (true)
        {
            // The services' deadlines the last move passed, and the hand-offs they cause, come first.
            await QuietAsync(settle, cancellationToken);
            while (_cast.Agenda.TakeDue(clock.Now) is { Count: > 0 } due)
            {
                foreach (var (_, _, action) in due)
                    await action(cancellationToken);
                // The streams' notices (outbid, won, closed) and the hand-offs the calls wrote.
                await QuietAsync(settle / 4, cancellationToken);
            }
            if (End is { } end && clock.Now >= end)
                return;
            var next = clock.Now + step;
            await clock.AdvanceAsync((End is { } stop && next > stop ? stop : next) - clock.Now, cancellationToken);
        }
    }

    /// <summary>Waits <paramref name="settle"/> of real time, then until no service has a hand-off still being delivered.</summary>
    private async Task QuietAsync(TimeSpan settle, CancellationToken cancellationToken)
    {
        await Task.Delay(settle, _realTime, cancellationToken);
        while (true)
        {
            try
            {
                if ((await HandOffs.ReadAsync(cancellationToken)).All(service => service.Pending == 0))
                    return;
            }
            catch (RpcException exception) when (exception.StatusCode != StatusCode.Cancelled)
            {
                Seen.Error($"read the services' hand-offs: {exception.StatusCode} {exception.Status.Detail}");
            }
            await Task.Delay(settle / 4 + TimeSpan.FromMilliseconds(20), _realTime, cancellationToken);
        }
    }

    /// <summary>The services' hand-offs for the live view, every second of real time while the clock runs.</summary>
    private async Task WatchHandOffsAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await HandOffs.ReadAsync(cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(1), _realTime, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException exception) when (cancellationToken.IsCancellationRequested || exception.StatusCode == StatusCode.Cancelled)
            {
                return;
            }
            catch (Exception exception) when (exception is RpcException or GatewayUnavailableException or HttpRequestException)
            {
                Seen.Error($"read the services' hand-offs: {exception.Message}");
                await Cast.PauseAsync(TimeSpan.FromSeconds(5), cancellationToken);
            }
        }
    }

    /// <summary>Puts each planned vehicle's account opening, extension and return on the agenda, a few days ahead.</summary>
    private Task FeedScenarioAsync(CancellationToken cancellationToken)
    {
        var horizon = _cast.Now - Start + LookAhead;
        while (true)
        {
            _nextPlanned ??= _scenario.Next();
            var plan = _nextPlanned;
            if (plan.ReturnAt > horizon || (_returnsFor is { } limit && plan.ReturnAt >= limit))
                return Task.CompletedTask;
            _nextPlanned = null;
            var story = new VehicleStory(plan);
            var key = $"lease:{plan.Index:D6}";
            _cast.At(Start + plan.OpenAt, key, token => _center.OpenAccountAsync(story, token));
            if (plan.Extension is { } extension)
                _cast.At(Start + extension.At, key, token => _center.ExtendAsync(story, extension.Days, token));
            _cast.At(Start + plan.ReturnAt, key, token => _dealers.NotifyReturnAsync(story, token));
        }
    }
}
