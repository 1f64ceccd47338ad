using System.Collections;
using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Contracts.Common.V1;
using Remarketing.Contracts.Inspection.V1;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Contracts.Transport.V1;

namespace Remarketing.Contracts;

/// <summary>
/// What a dealer may ever see of each message it can receive: one allow-list per message and role,
/// every field either shown or withheld with the reason. A field that is not shown is cleared from
/// every answer to that role (so a field added to a contract stays hidden from dealers until it is
/// listed here). Which object a dealer may see, and its own figures in it (its proxy maximum, its
/// proof of sale), is decided per object by the services; this list bounds what any of them can show.
/// </summary>
public static class CallerViews
{
    private const string LenderAndLessee = "a figure between the lender and the lessee";
    private const string CarriesTheAccount = "the lender's case id, which carries the lessee's account number";
    private const string Reserve = "the lender's reserve, and the residual it is priced from";
    private const string LesseesCharge = "the lessee's excess wear charge";
    private const string CentersWork = "the remarketing center's own work";
    private const string ReleaseDocument = "the document the vehicle is released against: only whoever collects with it holds it";

    /// <summary>The grounding dealer: its returns, its quotes and purchases, its lot's inspections and pickups.</summary>
    public static CallerView GroundingDealer { get; } = new(RoleNames.GroundingDealer,
    [
        .. Values,
        Whole(Date.Descriptor),
        Of(LeaseAccount.Descriptor, ["terms", "state", "return_case_id", "scheduled_end_date", "dealer_view"], new()
        {
            ["the lender's mail to the lessee"] = ["return_kit_due_at", "return_kit_sent_at"],
            ["the lessee's extension fees (scheduled_end_date carries the days)"] = ["extensions"],
            ["how the lease ended between the lender and the lessee"] = ["ending"],
        }),
        Of(LeaseTerms.Descriptor,
            ["account_id", "vehicle", "start_date", "maturity_date", "term_months", "allowed_miles_per_year", "purchased_additional_miles",
             "starting_odometer_miles", "disposition_fee_cents"],
            new()
            {
                [LenderAndLessee] =
                [
                    "lessee_state", "monthly_payment_cents", "adjusted_capitalized_cost_cents", "purchased_mile_price_cents", "excess_mileage_rate_cents_per_mile",
                    "purchase_option_price_cents", "purchase_option_fee_cents", "security_deposit_cents", "past_due_cents", "sales_tax_rate_basis_points",
                    "unpaid_personal_property_tax_cents", "extension_daily_fee_cents",
                ],
            }),
        Of(ReturnCase.Descriptor,
            ["case_id", "account_id", "grounding_dealer_id", "dealer_state", "return_date", "termination_type", "odometer", "returned_items", "disposition",
             "state", "hold_until", "notified_at", "proof_of_resale_id", "condition_report_id", "listing_id", "sale_price_cents"],
            new() { [LesseesCharge] = ["excess_wear"], [CentersWork] = ["review_flags"] }),
        Whole(OdometerStatement.Descriptor),
        Whole(ReturnedItems.Descriptor),
        Of(Quote.V1.Quote.Descriptor,
            ["quote_id", "account_id", "kind", "termination_type", "line_items", "total_cents", "valid_until", "estimated", "early_termination_charge_cents", "as_of"],
            new() { ["the lessee's payoff: the price a dealer pays is in the lines"] = ["early_termination_payoff_cents"] }),
        Whole(LineItem.Descriptor),
        Whole(EarlyTerminationOptions.Descriptor),
        Whole(EarlyTerminationOption.Descriptor),
        Whole(RetailFinancingEligibility.Descriptor),
        Of(InspectionOrder.Descriptor,
            ["order_id", "case_id", "vehicle", "grounding_dealer_id", "dealer_state", "odometer_miles", "state", "ordered_at", "due_by", "inspector_id",
             "condition_report_id", "overdue", "inspection_company", "remarketing_center_reason", "reason", "early_termination"],
            new() { [LenderAndLessee] = ["residual_value_cents"], [CentersWork] = ["disputed", "disputed_hand_off_entry_id"] }),
        ConditionReportOf(["case_id"], new()),
        .. InspectionFindings,
        Of(Listing.Descriptor, ListingShown, new() { [CarriesTheAccount] = ["case_id"], [Reserve] = ["floor_price_cents"] }),
        Of(ListingOutcome.Descriptor, ["state", "closed_at", "sale_price_cents", "reason"], new()
        {
            ["the buyer, known to the lender and itself; the grounding dealer releases against the document, not a name"] = ["buyer_dealer_id"],
            [ReleaseDocument] = ["proof_of_sale_id"],
        }),
        .. ListingStreams,
        Of(PickupOrder.Descriptor, [.. PickupShown, "case_id", "carrier_id"], new()
        {
            ["the buyer, known to the lender and itself; the grounding dealer releases against the document, not a name"] = ["buyer_dealer_id"],
            [ReleaseDocument] = ["proof_of_sale_id", "bill_of_lading_id", "bill_of_lading_expires_at"],
            [CentersWork] = ["refused_release_count", "refused_releases"],
        }),
        .. PickupStreams,
    ]);

    /// <summary>The buying dealer: the listings it may bid on, its bids and its own pickups.</summary>
    public static CallerView Buyer { get; } = new(RoleNames.Buyer,
    [
        .. Values,
        Whole(RetailFinancingEligibility.Descriptor),
        ConditionReportOf([], new() { [CarriesTheAccount] = ["case_id"] }),
        .. InspectionFindings,
        Of(Listing.Descriptor, ListingShown, new() { [CarriesTheAccount] = ["case_id"], [Reserve] = ["floor_price_cents"] }),
        Whole(ListingOutcome.Descriptor),
        .. ListingStreams,
        Whole(PlaceBidResponse.Descriptor),
        Whole(BuyNowResponse.Descriptor),
        Whole(MyBidsEvent.Descriptor),
        Whole(MyBidsNotice.Descriptor),
        Of(PickupOrder.Descriptor, [.. PickupShown, "buyer_dealer_id", "proof_of_sale_id", "carrier_id"], new()
        {
            [CarriesTheAccount] = ["case_id"],
            [ReleaseDocument] = ["bill_of_lading_id", "bill_of_lading_expires_at"],
            [CentersWork] = ["refused_release_count", "refused_releases"],
        }),
        .. PickupStreams,
    ]);

    /// <summary>Every role whose answers are cut to a view; the others (the center, services, inspectors, carriers) see the messages whole.</summary>
    public static IReadOnlyList<CallerView> All { get; } = [GroundingDealer, Buyer];

    private static readonly Dictionary<string, CallerView> ByRole = All.ToDictionary(view => view.Role, StringComparer.Ordinal);

    /// <summary>The view answers to <paramref name="role"/> are cut to, or null when that role sees messages whole.</summary>
    public static CallerView? For(string role) => ByRole.GetValueOrDefault(role);

    private static string[] ListingShown =>
    [
        "listing_id", "vin", "vehicle", "odometer_miles", "condition_grade_tenths", "grounding_dealer_id", "condition_report_id", "state", "opens_at", "ends_at",
        "opening_price_cents", "current_price_cents", "minimum_next_bid_cents", "buy_now_price_cents", "floor_met", "bid_count", "high_bidder_alias",
        "caller_is_high_bidder", "caller_max_amount_cents", "last_sequence", "outcome",
    ];

    private static string[] PickupShown =>
    [
        "order_id", "kind", "listing_id", "vehicle", "grounding_dealer_id", "destination", "state", "created_at", "pickup_due_by", "released_at", "delivered_at", "overdue",
    ];

    /// <summary>Values every dealer reads whole: instants, vehicles, pages, heartbeats and the clock.</summary>
    private static MessageView[] Values =>
    [
        Whole(Timestamp.Descriptor), Whole(Vehicle.Descriptor), Whole(PageInfo.Descriptor),
        Whole(Heartbeat.Descriptor), Whole(ClockReading.Descriptor), Whole(ClockEvent.Descriptor),
    ];

    /// <summary>A condition report as a dealer reads it: the vehicle's condition, without the lessee's charges or the lender's pricing.</summary>
    private static MessageView ConditionReportOf(string[] alsoShown, Dictionary<string, string[]> alsoWithheld) =>
        Of(ConditionReport.Descriptor,
            ["condition_report_id", "order_id", "vehicle", "odometer_miles", "condition_grade_tenths", "damage", "auction_eligible", "ineligibility_reason",
             "inspector_id", "inspected_at", "findings", "eligibility_reasons", "buy_now_price_cents", .. alsoShown],
            new(alsoWithheld) { [LesseesCharge] = ["excess_wear_total_cents"], [Reserve] = ["floor_price_cents", "pricing_explanation"] });

    private static MessageView[] InspectionFindings =>
    [
        Of(DamageItem.Descriptor, ["location", "description"], new() { [LesseesCharge] = ["excess_wear_charge_cents"] }),
        Of(Finding.Descriptor, ["observation", "chargeable", "rule", "grade_deduction_tenths"], new() { [LesseesCharge] = ["charge_cents"] }),
    ];

    /// <summary>A listing's events: one encoding for every watcher, so whole (the snapshot's listing is cut by its own view).</summary>
    private static MessageView[] ListingStreams =>
    [
        Whole(ListListingsResponse.Descriptor), Whole(ListingEvent.Descriptor), Whole(BidPlaced.Descriptor), Whole(ListingExtended.Descriptor), Whole(ListingClosed.Descriptor),
    ];

    private static MessageView[] PickupStreams => [Whole(ListPickupOrdersResponse.Descriptor), Whole(PickupOrderEvent.Descriptor)];

    private static MessageView Whole(MessageDescriptor message) => new(message, message.Fields.InDeclarationOrder().ToDictionary(field => field, _ => (string?)null));

    private static MessageView Of(MessageDescriptor message, string[] shown, Dictionary<string, string[]> withheld)
    {
        var fields = new Dictionary<FieldDescriptor, string?>();
        foreach (var name in shown)
            fields.Add(Field(message, name), null);
        foreach (var (reason, names) in withheld)
        {
            foreach (var name in names)
                fields.Add(Field(message, name), reason);
        }
        return new MessageView(message, fields);
    }

    private static FieldDescriptor Field(MessageDescriptor message, string name) =>
        message.FindFieldByName(name) ?? throw new InvalidOperationException($"{message.FullName} has no field {name}");
}

/// <summary>One role's allow-lists, by message: what <see cref="Cut"/> leaves of an answer to that role.</summary>
public sealed class CallerView
{
    private readonly Dictionary<MessageDescriptor, MessageView> _messages;
    private readonly ConcurrentDictionary<MessageDescriptor, bool> _whole = new();

    public CallerView(string role, IEnumerable<MessageView> messages)
    {
        Role = role;
        _messages = messages.ToDictionary(view => view.Message);
    }

    public string Role { get; }

    public IReadOnlyCollection<MessageView> Messages => _messages.Values;

    public MessageView? Of(MessageDescriptor message) => _messages.GetValueOrDefault(message);

    /// <summary>Whether <paramref name="message"/> and everything it can carry are shown whole to this role (nothing to cut).</summary>
    public bool IsWhole(MessageDescriptor message) => _whole.GetOrAdd(message, whole => IsWholeWithin(whole, []));

    private bool IsWholeWithin(MessageDescriptor message, HashSet<MessageDescriptor> seen)
    {
        if (!seen.Add(message))
            return true;
        return Of(message) is { } view && message.Fields.InDeclarationOrder().All(field =>
            view.Shows(field) && (field.FieldType != FieldType.Message || IsWholeWithin(field.MessageType, seen)));
    }

    /// <summary>
    /// <paramref name="message"/> as this role may see it: itself when the role sees it whole,
    /// otherwise a copy without each field the role is not shown, in every message it carries, and
    /// without any message that has no view for the role at all. The original is never changed (it
    /// may be shared, or kept).
    /// </summary>
    public T Cut<T>(T message) where T : IMessage
    {
        if (IsWhole(message.Descriptor))
            return message;
        var copy = message.Descriptor.Parser.ParseFrom(message.ToByteString());
        CutInPlace(copy);
        return (T)copy;
    }

    private void CutInPlace(IMessage message)
    {
        if (IsWhole(message.Descriptor))
            return;
        var view = Of(message.Descriptor);
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            if (view is null || !view.Shows(field))
            {
                // Clearing one member of a oneof would clear whichever member is set.
                if (field.RealContainingOneof is not { } oneof || oneof.Accessor.GetCaseFieldDescriptor(message) == field)
                    field.Accessor.Clear(message);
                continue;
            }
            if (field.FieldType != FieldType.Message)
                continue;
            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                foreach (var item in (IEnumerable)value)
                    CutInPlace((IMessage)item);
            }
            else if (value is IMessage nested)
            {
                CutInPlace(nested);
            }
        }
    }
}

/// <summary>One message's allow-list for a role: each field shown (no reason) or withheld (why).</summary>
public sealed class MessageView(MessageDescriptor message, IReadOnlyDictionary<FieldDescriptor, string?> fields)
{
    public MessageDescriptor Message { get; } = message;

    /// <summary>Every field the list decides on, with the reason it is withheld, or null when it is shown.</summary>
    public IReadOnlyDictionary<FieldDescriptor, string?> Fields { get; } = fields;

    public bool Shows(FieldDescriptor field) => Fields.TryGetValue(field, out var withheld) && withheld is null;

    public bool Decides(FieldDescriptor field) => Fields.ContainsKey(field);
}
