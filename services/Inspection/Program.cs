using Remarketing.Inspection;
using Remarketing.ServiceDefaults;
using Remarketing.ServiceDefaults.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGrpcServiceDefaults(notBuiltYet: "the Inspection issue (inspection orders and condition reports), not filed yet");
builder.AddRedis();

var app = builder.Build();
app.UseGrpcServiceDefaults();
app.MapGrpcService<InspectionGrpcService>();
app.Run();
