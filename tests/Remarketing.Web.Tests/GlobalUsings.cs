global using Grpc.Core;
global using Microsoft.Playwright;
global using Remarketing.Contracts;
global using Remarketing.Contracts.Auction.V1;
global using Remarketing.Testing;
