using Remarketing.Contracts;
using Remarketing.Inspection.Domain;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Inspection;

/// <summary>
/// Who sees which inspection orders and condition reports, and who may report: the remarketing
/// center and services everything; a grounding dealer its lot's; an inspector (its subject is its
/// company) its own orders and the open ones its company may take; a buyer the reports of vehicles
/// on sale.
/// </summary>
public static class InspectionAccess
{
    public static bool MaySee(Caller caller, InspectionOrderRecord order) => caller.Role switch
    {
        RoleNames.Remarketing or RoleNames.Service => true,
        RoleNames.GroundingDealer => order.GroundingDealerId == caller.Subject,
        RoleNames.Inspector => order.InspectorId == caller.Subject
            || (order.InspectorId is null && order.State == OrderState.Open && (order.InspectionCompany.Length == 0 || order.InspectionCompany == caller.Subject)),
        _ => false,
    };

    public static bool MaySee(Caller caller, ConditionReportRecord report) => caller.Role switch
    {
        RoleNames.Remarketing or RoleNames.Service => true,
        RoleNames.Buyer => report.Eligible,
        RoleNames.GroundingDealer => report.GroundingDealerId == caller.Subject,
        RoleNames.Inspector => report.InspectorId == caller.Subject,
        _ => false,
    };

    /// <summary>The inspection company whose orders alone <paramref name="caller"/> pages through; null for those who see all.</summary>
    public static string? CompanyOf(Caller caller) => caller.Role == RoleNames.Inspector ? caller.Subject : null;

    public static bool IsCenter(Caller caller) => caller.Role == RoleNames.Remarketing;

    /// <summary>The center reports on the orders in its own queue; an inspector on the order it accepted.</summary>
    public static bool MayReport(Caller caller, InspectionOrderRecord order) => IsCenter(caller)
        ? order.State == OrderState.RemarketingCenter
        : order.State == OrderState.Accepted && order.InspectorId == caller.Subject;
}
