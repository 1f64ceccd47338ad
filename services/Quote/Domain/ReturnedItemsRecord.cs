namespace Remarketing.Quote.Domain;

public sealed record ReturnedItemsRecord(int Keys, int KeylessRemotes, bool OwnersManual, bool MaintenanceGuide, bool LeaseAgreementCopy, IReadOnlyList<string> MissingEquipment);
