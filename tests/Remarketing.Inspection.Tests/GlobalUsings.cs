global using Remarketing.Inspection.Domain;
global using Remarketing.ServiceDefaults.Errors;
global using Remarketing.ServiceDefaults.Security;
global using Remarketing.Testing;
global using Xunit;
global using static Remarketing.Testing.Refusals;
