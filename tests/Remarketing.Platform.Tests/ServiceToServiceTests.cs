using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Remarketing.ServiceDefaults;
using Remarketing.ServiceDefaults.Clients;

namespace Remarketing.Platform.Tests;

/// <summary>A service calling another service directly, as hand-offs will.</summary>
[Trait("Category", "System")]
[Collection(SystemCollection.Name)]
public class ServiceToServiceTests(SystemFixture fixture)
{
    [Fact]
    public async Task ServiceClient_CallsAnotherServiceDirectly_WithItsOwnServiceToken()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "remarketing-test-caller", EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(fixture.System.Tokens.Settings()
            .Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value))
            .Append(new("Auth:Signer", "quote"))
            .Append(new("Services:auction", fixture.System.ServiceAddress("auction").ToString())));
        builder.AddServiceDefaults();
        builder.Services.AddServiceClient<ClockService.ClockServiceClient>("auction");
        using var host = builder.Build();

        var reading = await host.Services.GetRequiredService<ClockService.ClockServiceClient>().GetClockAsync(new GetClockRequest());

        Assert.InRange(reading.Now.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }
}
