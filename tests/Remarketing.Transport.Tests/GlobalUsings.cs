global using Remarketing.Contracts;
global using Remarketing.Contracts.Quote.V1;
global using Remarketing.Contracts.Transport.V1;
global using Remarketing.ServiceDefaults.Errors;
global using Remarketing.ServiceDefaults.HandOffs;
global using Remarketing.ServiceDefaults.Security;
global using Remarketing.Testing;
global using static Remarketing.Testing.Refusals;
