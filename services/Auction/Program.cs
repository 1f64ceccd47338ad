using Remarketing.Auction;
using Remarketing.ServiceDefaults;
using Remarketing.ServiceDefaults.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGrpcServiceDefaults(notBuiltYet: "issue #3 (Auction: the Redis bidding engine and its streams)");
builder.AddRedis();
builder.AddAuction();

var app = builder.Build();
app.UseGrpcServiceDefaults();
app.MapGrpcService<AuctionGrpcService>();
app.Run();
