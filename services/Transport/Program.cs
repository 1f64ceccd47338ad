using Remarketing.ServiceDefaults;
using Remarketing.ServiceDefaults.Redis;
using Remarketing.Transport;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGrpcServiceDefaults(notBuiltYet: "the Transport issue (pickups, bills of lading and release), not filed yet");
builder.AddRedis();

var app = builder.Build();
app.UseGrpcServiceDefaults();
app.MapGrpcService<TransportGrpcService>();
app.Run();
