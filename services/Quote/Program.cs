using Remarketing.Quote;
using Remarketing.ServiceDefaults;
using Remarketing.ServiceDefaults.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGrpcServiceDefaults(notBuiltYet: "issue #4 (Quote: lease-end returns, quotes, settlement and letters)");
builder.AddRedis();
builder.AddQuote();

var app = builder.Build();
app.UseGrpcServiceDefaults();
app.MapGrpcService<QuoteGrpcService>();
app.Run();
