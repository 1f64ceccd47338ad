namespace Remarketing.Inspection.Domain;

public sealed record ReportSubmission(string RequestId, string OrderId, Observations Observations);
