using Remarketing.Auction;
using Remarketing.ServiceDefaults;

ServiceProcess.Run<AuctionGrpcService>(args, builder => builder.AddAuction());
