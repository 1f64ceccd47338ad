namespace Remarketing.Inspection.Domain;

/// <summary>The steps of a case's journey Inspection reports to Quote (the condition report itself goes as the inspection result).</summary>
public enum JourneyStep
{
    InspectionScheduled,
    QueuedForRemarketingCenter,
    InspectionAccepted,
}
