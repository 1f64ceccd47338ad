global using Remarketing.Contracts;
global using Remarketing.Contracts.Quote.V1;
global using Remarketing.ServiceDefaults.Errors;
global using Remarketing.ServiceDefaults.Security;
global using Remarketing.Testing;
global using static Remarketing.Testing.Refusals;
global using LeaseTerms = Remarketing.Quote.Domain.LeaseTerms;
global using Remarketing.Contracts.Inspection.V1;
global using Remarketing.ServiceDefaults.HandOffs;
