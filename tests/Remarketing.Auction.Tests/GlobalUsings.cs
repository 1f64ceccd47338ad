global using Grpc.Core;
global using Remarketing.Auction.Engine;
global using Remarketing.ServiceDefaults.Errors;
global using Remarketing.Testing;
global using StackExchange.Redis;
global using static Remarketing.Testing.Refusals;
