global using Grpc.Core;
global using Remarketing.Contracts;
global using Remarketing.Contracts.Auction.V1;
global using Remarketing.Contracts.Common.V1;
global using Remarketing.Testing;
