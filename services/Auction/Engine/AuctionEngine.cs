using Microsoft.Extensions.Options;
using Remarketing.ServiceDefaults.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.HandOffs;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Remarketing.Auction.Engine;

/// <summary>
/// SmartAuction's rules over Redis. Every change to a listing is one Lua script on the listing's
/// own keys; this class validates input, builds the scripts' arguments and reads their answers.
/// </summary>
public sealed class AuctionEngine
{
    private readonly IDatabase _redis;
    private readonly TimeProvider _clock;
    private readonly AuctionOptions _options;
    private readonly ListingHandOffs _handOffs;
    private readonly ListingInvariants _invariants;
    private readonly VehicleClaims _claims;
    private readonly WriteAcknowledgement? _acknowledgement;

    /// <param name="acknowledgement">What a write waits for before it is answered (replicas); none: the primary's fsync only.</param>
    public AuctionEngine(IConnectionMultiplexer redis, TimeProvider clock, IOptions<AuctionOptions> options, ListingHandOffs handOffs, WriteAcknowledgement? acknowledgement = null)
    {
        _acknowledgement = acknowledgement;
        _redis = redis.GetDatabase();
        _invariants = new ListingInvariants(redis);
        _claims = new VehicleClaims(_redis);
        _handOffs = handOffs;
        _clock = clock;
        _options = options.Value;
        Increments = new IncrementTable(_options.EffectiveIncrements);
    }

    public IncrementTable Increments { get; }

    /// <param name="creator">Who asks, as <see cref="CompositeKey.Of(Caller)"/>: with the request id it names the listing.</param>
    /// <param name="beforeOpening">
    /// Asked with the new listing's id once the request is valid and the vehicle claimed, before
    /// anything of the listing is written (the case's owner approving it); a refusal (a
    /// <see cref="DomainException"/>) releases the claim and is the answer, any other failure keeps
    /// it for a retry. Not asked again for a retry whose listing exists.
    /// </param>
    public async Task<ListingRecord> CreateListingAsync(string creator, NewListing request, Func<string, Task>? beforeOpening = null)
    {
        var (window, openingPrice) = request.Check(_options.DefaultWindow, Increments);
        var listingId = ListingIds.For(creator, request.RequestId);
        var fingerprint = ListingIds.Fingerprint(request);
        var now = _clock.GetUtcNow();
        var ends = now + window;
        var arguments = request.CreateScriptArguments(listingId, fingerprint, now, ends, openingPrice);

        if (!await _redis.KeyExistsAsync(AuctionKeys.State(listingId)))
        {
            await _claims.ClaimAsync(request.Vin, listingId);
            if (beforeOpening is not null)
            {
                try
                {
                    await beforeOpening(listingId);
                }
                catch (DomainException)
                {
                    // A refusal: no listing comes of this request. A call cut short (the owner
                    // unavailable, the caller gone) keeps the claim: a retry of the same request,
                    // perhaps already under way on another instance, is the same listing and may
                    // open it, and a claim whose listing never comes to exist lets go by itself.
                    await _claims.ReleaseAsync(request.Vin, listingId);
                    throw;
                }
            }
        }

        // The indexes live outside the listing's slot, so they cannot be written in its script.
        // They are written first: the closer drops an entry whose listing never came to exist,
        // while a listing missing from the closing index would never close.
        var closingWasNew = await _redis.SortedSetAddAsync(AuctionKeys.Closing, listingId, ends.ToUnixTimeMilliseconds(), SortedSetWhen.NotExists);
        var liveWasNew = await _redis.SortedSetAddAsync(AuctionKeys.Live, listingId, now.ToUnixTimeMilliseconds(), SortedSetWhen.NotExists);
        var creation = ScriptResults.Creation(await _redis.ScriptEvaluateAsync(AuctionScripts.CreateListing, [AuctionKeys.State(listingId)], arguments));
        await CopiedAsync(AuctionKeys.State(listingId));
        if (!creation.Created && creation.Fingerprint != fingerprint)
        {
            throw DomainException.InvalidArgument(
                $"request_id '{request.RequestId}' already created listing {listingId} with other content; use a new request_id for a new listing");
        }

        var listing = await GetListingAsync(listingId);
        if (listing.Status != ListingStatus.Live)
        {
            // A retry of a create whose listing has since ended: take back what this call re-added.
            if (closingWasNew)
                await _redis.SortedSetRemoveAsync(AuctionKeys.Closing, listingId);
            if (liveWasNew)
                await _redis.SortedSetRemoveAsync(AuctionKeys.Live, listingId);
        }
        else
        {
            // Tells market watchers (again, on a retry: a repeated snapshot is harmless).
            await _redis.PublishAsync(RedisChannel.Sharded(AuctionKeys.ListingsChannel), new ListingSchema.Announcement(listingId, 0, 0).Message);
        }

        // Before answering: a create that dies here is retried by its caller, and this runs again.
        await HandOffOnceAsync($"listed:{listingId}", _handOffs.Listed(listing));

        return listing;
    }

    public async Task<ListingRecord> GetListingAsync(string listingId)
    {
        ListingIds.Require(listingId);
        return await FindListingAsync(listingId) ?? throw DomainException.NotFound($"no listing {listingId}");
    }

    /// <summary>The listing, or null if there is none.</summary>
    public async Task<ListingRecord?> FindListingAsync(string listingId) =>
        ListingRecord.From(await _redis.HashGetAllAsync(AuctionKeys.State(listingId)));

    /// <summary>The dealer's own proxy maximum on a listing, 0 if it has none. Never ask this for anyone but the caller.</summary>
    public async Task<long> OwnMaximumAsync(string listingId, string dealerId) =>
        (long?)await _redis.HashGetAsync(AuctionKeys.Maxima(listingId), dealerId) ?? 0;

    public async Task<BidAnswer> PlaceBidAsync(string dealerId, string listingId, string bidId, long amountCents, long maximumCents)
    {
        ListingIds.Require(listingId);
        if (string.IsNullOrWhiteSpace(bidId) || bidId.Length > 128)
            throw DomainException.InvalidArgument("bid_id is required (1-128 characters, chosen by the client; reuse it only to retry the same bid)");
        ListingAmounts.Require(amountCents, "amount_cents", allowZero: false);
        ListingAmounts.Require(maximumCents, "max_amount_cents", allowZero: true);

        // One read before the script: a live listing missing from the closing index was left half-written (its close lost), and takes no bid.
        var inClosingIndex = (await _redis.SortedSetScoreAsync(AuctionKeys.Closing, listingId)).HasValue;
        var (keys, arguments) = PlaceBidCall(listingId, dealerId, bidId, amountCents, maximumCents, inClosingIndex);
        var placement = ScriptResults.Placement(await _redis.ScriptEvaluateAsync(AuctionScripts.PlaceBid, keys, arguments));
        // A repeat too: its first answer may not have been copied when the caller lost it.
        if (placement.Outcome is PlacementOutcome.Answered or PlacementOutcome.Repeated)
            await CopiedAsync(keys[0]);

        return placement.Outcome switch
        {
            PlacementOutcome.Answered or PlacementOutcome.Repeated => placement.Answer!,
            PlacementOutcome.Conflict => throw DomainException.InvalidArgument(
                $"bid_id '{bidId}' was already used for a different bid on {listingId}; use a new bid_id for a new bid"),
            PlacementOutcome.NotFound => throw DomainException.NotFound($"no listing {listingId}"),
            PlacementOutcome.Held => throw await HeldAsync(listingId, "takes no bid"),
            _ => throw OwnListing(dealerId, listingId),
        };
    }

    /// <summary>The keys and arguments of one placement as the script takes them, unchecked (the benchmark replays them).</summary>
    internal (RedisKey[] Keys, RedisValue[] Arguments) PlaceBidCall(
        string listingId, string dealerId, string bidId, RedisValue amountCents, RedisValue maximumCents, bool inClosingIndex = true) =>
        ([AuctionKeys.State(listingId), AuctionKeys.Events(listingId), AuctionKeys.Answers(listingId), AuctionKeys.Maxima(listingId), AuctionKeys.Aliases(listingId)],
         [listingId, dealerId, bidId, amountCents, maximumCents, _clock.GetUtcNow().ToUnixTimeMilliseconds(), (long)_options.SoftClose.TotalMilliseconds, Increments.BandCount,
          CompositeKey.Of("bid", dealerId, bidId), AuctionKeys.Changes(listingId), inClosingIndex ? 1 : 0, .. Increments.ScriptArguments]);

    public async Task<(ListingRecord Listing, string ProofOfSaleId)> BuyNowAsync(string dealerId, string listingId, string requestId)
    {
        ListingIds.Require(listingId);
        Ids.Required(requestId, "request_id");

        var agrees = await _invariants.WhyNotActOnAsync(listingId) is null;
        var purchase = ScriptResults.Purchase(await _redis.ScriptEvaluateAsync(
            AuctionScripts.BuyNow,
            [AuctionKeys.State(listingId), AuctionKeys.Events(listingId), AuctionKeys.Answers(listingId), AuctionKeys.Aliases(listingId)],
            [listingId, dealerId, requestId, _clock.GetUtcNow().ToUnixTimeMilliseconds(), ListingIds.NewProofOfSale(), CompositeKey.Of("buy", dealerId, requestId),
             AuctionKeys.Changes(listingId), agrees ? 1 : 0]));
        if (purchase.Outcome is PurchaseOutcome.Bought or PurchaseOutcome.Repeated)
            await CopiedAsync(AuctionKeys.State(listingId));

        var proof = purchase.Outcome switch
        {
            PurchaseOutcome.Bought or PurchaseOutcome.Repeated => purchase.ProofOfSaleId,
            PurchaseOutcome.NotFound => throw DomainException.NotFound($"no listing {listingId}"),
            PurchaseOutcome.OwnListing => throw OwnListing(dealerId, listingId),
            PurchaseOutcome.Closed => throw DomainException.FailedPrecondition($"listing {listingId} has ended"),
            PurchaseOutcome.NoBuyNow => throw DomainException.FailedPrecondition($"listing {listingId} has no buy-now price"),
            PurchaseOutcome.Held => throw await HeldAsync(listingId, "is not sold"),
            _ => throw DomainException.FailedPrecondition(
                $"the price of listing {listingId} ({Cents.Format(purchase.PriceCents)}) has reached its buy-now price: bid instead"),
        };
        return (await FinishClosedAsync(listingId), proof);
    }

    /// <summary>
    /// The remarketing center closes (sold if the floor is met) or withdraws a listing before its
    /// end. A retry of the same request id by the same caller returns the listing as that close left it.
    /// </summary>
    /// <param name="closedBy">Who asks, as <see cref="CompositeKey.Of(Caller)"/>.</param>
    public async Task<ListingRecord> CloseEarlyAsync(string closedBy, string listingId, string requestId, string reason, bool withdraw)
    {
        ListingIds.Require(listingId);
        Ids.Required(requestId, "request_id");
        if (string.IsNullOrWhiteSpace(reason))
            throw DomainException.InvalidArgument("a reason is required to close or withdraw a listing early");
        var closeRequest = CompositeKey.Of(closedBy, requestId);
        var closing = await RunCloseAsync(listingId, withdraw ? "withdraw" : "close", reason.Trim(), closeRequest);
        return closing switch
        {
            { Outcome: CloseOutcome.NotFound } => throw DomainException.NotFound($"no listing {listingId}"),
            { Outcome: CloseOutcome.Held } => throw await HeldAsync(listingId, "is not closed (it may be withdrawn)"),
            { Outcome: CloseOutcome.AlreadyEnded } when closing.CloseRequest != closeRequest => throw DomainException.FailedPrecondition(
                $"listing {listingId} has already ended ({ListingSchema.Stored(closing.Status!.Value)})"),
            _ => await FinishClosedAsync(listingId),
        };
    }

    /// <summary>Closes every listing whose end has come; returns how many this call closed.</summary>
    public async Task<int> CloseDueListingsAsync()
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var due = await _redis.SortedSetRangeByScoreAsync(AuctionKeys.Closing, double.NegativeInfinity, now, take: 500);
        var closed = 0;
        foreach (var entry in due)
        {
            var listingId = (string)entry!;
            var closing = await RunCloseAsync(listingId, "due", "", "");
            switch (closing.Outcome)
            {
                case CloseOutcome.Closed:
                    closed++;
                    await FinishClosedAsync(listingId);
                    break;
                case CloseOutcome.AlreadyEnded:
                    await FinishClosedAsync(listingId);
                    break;
                case CloseOutcome.NotDue:
                    // A soft close moved its end: look again then.
                    await _redis.SortedSetAddAsync(AuctionKeys.Closing, listingId, closing.EndsAtMs, SortedSetWhen.Exists);
                    break;
                case CloseOutcome.Held:
                    // Left in the closing index, unsold, for an operator: the invariant check reports it.
                    break;
                default:
                    await _redis.SortedSetRemoveAsync(AuctionKeys.Closing, listingId);
                    break;
            }
        }

        return closed;
    }

    /// <summary>Listings in one status, newest first: live ones by creation, ended ones by close.</summary>
    public Task<(IReadOnlyList<ListingRecord> Listings, string NextPageToken)> ListAsync(ListingStatus status, int pageSize, string pageToken) =>
        ListingPages.PageAsync(_redis, status == ListingStatus.Live ? AuctionKeys.Live : AuctionKeys.Closed, listing => listing.Status == status, pageSize, pageToken);

    /// <summary>Every ended listing (sold, unsold, withdrawn), most recently closed first.</summary>
    public Task<(IReadOnlyList<ListingRecord> Listings, string NextPageToken)> ListResultsAsync(int pageSize, string pageToken) =>
        ListingPages.PageAsync(_redis, AuctionKeys.Closed, listing => listing.Status != ListingStatus.Live, pageSize, pageToken);

    private async Task<Closing> RunCloseAsync(string listingId, string mode, string reason, string closeRequest)
    {
        var agrees = mode == "withdraw" || await _invariants.WhyNotActOnAsync(listingId) is null;
        var closing = ScriptResults.Closing(await _redis.ScriptEvaluateAsync(
            AuctionScripts.CloseListing,
            [AuctionKeys.State(listingId), AuctionKeys.Events(listingId)],
            [listingId, _clock.GetUtcNow().ToUnixTimeMilliseconds(), mode, reason, ListingIds.NewProofOfSale(), closeRequest, AuctionKeys.Changes(listingId), agrees ? 1 : 0]));
        // Copied before anything follows from it (the hand-offs, the indexes, the vehicle's claim).
        await CopiedAsync(AuctionKeys.State(listingId));
        return closing;
    }

    private Task CopiedAsync(RedisKey key) => _acknowledgement?.CopiedAsync(key) ?? Task.CompletedTask;

    /// <summary>The refusal of an act on a live listing whose indexes or claim disagree, naming what disagrees.</summary>
    private async Task<DomainException> HeldAsync(string listingId, string what) =>
        DomainException.FailedPrecondition(
            $"listing {listingId} {what}: it is held for the remarketing center because its records disagree " +
            $"({await _invariants.WhyNotActOnAsync(listingId) ?? "they did a moment ago"}); the doctor lists such listings");

    /// <summary>
    /// What follows a close outside the listing's slot: the outcome for the hand-offs (once, by
    /// the publish script) and the indexes. Every step is safe to repeat, and the listing leaves
    /// the closer's work list last, so a crash at any point leaves it there for the next look, by
    /// this instance or another.
    /// </summary>
    private async Task<ListingRecord> FinishClosedAsync(string listingId)
    {
        var listing = await GetListingAsync(listingId);
        var closedAt = listing.ClosedAt?.ToUnixTimeMilliseconds() ?? 0;
        await HandOffOnceAsync($"ended:{listingId}", _handOffs.Ended(listing));
        await _redis.SortedSetAddAsync(AuctionKeys.Closed, listingId, closedAt);
        await _redis.SortedSetRemoveAsync(AuctionKeys.Live, listingId);
        await _claims.ReleaseAsync(listing.Vin, listingId);
        await _redis.SortedSetRemoveAsync(AuctionKeys.Closing, listingId);
        return listing;
    }

    /// <summary>Writes <paramref name="handOffs"/> to the outbox unless <paramref name="what"/> was handed off already.</summary>
    private async Task HandOffOnceAsync(string what, IReadOnlyList<HandOff> handOffs)
    {
        // Marked even when nothing is owed (a listing outside a return case), so every step shows it was handed off.
        var entries = handOffs.Select(Outbox.ScriptArguments).ToList();
        RedisValue[] arguments = [what, entries.Count == 0 ? 1 : entries[0].Length, .. entries.SelectMany(entry => entry)];
        var written = (long)await _redis.ScriptEvaluateAsync(AuctionScripts.PublishHandOffs, [_handOffs.Outbox.Pending, AuctionKeys.HandedOff], arguments) == 1;
        await CopiedAsync(_handOffs.Outbox.Pending);
        if (written)
            _handOffs.Outbox.Wake();
    }

    private static DomainException OwnListing(string dealerId, string listingId) =>
        DomainException.PermissionDenied($"dealer {dealerId} is the grounding dealer of listing {listingId} and may not bid on or buy its own return");
}
