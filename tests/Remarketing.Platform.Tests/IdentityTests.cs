using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Remarketing.Contracts.Quote.V1;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Platform.Tests;

/// <summary>
/// Who can vouch for whom: callers' tokens are accepted only by the gateway, services accept only
/// the gateway's forwarded identities and each other's own tokens, every signer signs only what it
/// may, and a token that lives too long is refused however well it is signed.
/// </summary>
[Trait("Category", "System")]
[Collection(SystemCollection.Name)]
public sealed class IdentityTests(SystemFixture fixture)
{
    private RemarketingSystem System => fixture.System;

    private TestTokens Tokens => System.Tokens;

    [Theory]
    [InlineData("quote")]
    [InlineData("inspection")]
    [InlineData("auction")]
    [InlineData("transport")]
    public async Task ACallersOwnToken_SentStraightToAService_IsUnauthenticated(string service)
    {
        var clock = new ClockService.ClockServiceClient(System.ServiceChannel(service));

        var refused = await RefusedAsync(() => clock.GetClockAsync(new GetClockRequest(), Tokens.Bearer("D-100", RoleNames.Buyer)).ResponseAsync);
        var forwarded = await clock.GetClockAsync(new GetClockRequest(), Tokens.Forwarded("D-100", RoleNames.Buyer));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.NotNull(forwarded.Now);
    }

    [Fact]
    public async Task ADealersTokenStraightAtAuction_CannotBidAroundTheGateway()
    {
        var auction = new AuctionService.AuctionServiceClient(System.ServiceChannel("auction"));

        var refused = await RefusedAsync(() => auction.PlaceBidAsync(
            new PlaceBidRequest { ListingId = "L-1", BidId = "b-1", AmountCents = 100_00 }, Tokens.Bearer("D-AROUND", RoleNames.Buyer)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("audience", refused.Status.Detail);
    }

    [Fact]
    public async Task AServiceToken_AtTheGateway_IsUnauthenticated()
    {
        var quote = new QuoteService.QuoteServiceClient(System.GatewayChannel());

        var refused = await RefusedAsync(() => quote.RecordAuctionResultAsync(
            new RecordAuctionResultRequest { RequestId = "r-1", CaseId = "C-1", ListingId = "L-1" }, Tokens.Service("auction")).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Fact]
    public async Task TheIdentityKey_SigningTheServiceRole_IsRefusedAtTheGateway()
    {
        var forged = Sign(Signers.Identity, Signers.PublicAudience, "quote", RoleNames.Service);

        var refused = await RefusedAsync(() => Clock(System.GatewayChannel(), forged));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("never carry the service role", refused.Status.Detail);
    }

    [Fact]
    public async Task TheGatewayKey_SigningTheServiceRoleForAnotherService_IsRefusedByTheServices()
    {
        var forged = Sign(Signers.Gateway, Signers.ServicesAudience, "quote", RoleNames.Service);

        var refused = await RefusedAsync(() => Clock(System.ServiceChannel("auction"), forged));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("for the gateway itself", refused.Status.Detail);
    }

    [Fact]
    public async Task AServiceKey_PosingAsADealer_IsRefusedByTheOtherServices()
    {
        var forged = Sign("auction", Signers.ServicesAudience, "D-100", RoleNames.GroundingDealer);

        var refused = await RefusedAsync(() => Clock(System.ServiceChannel("quote"), forged));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("signs tokens for itself", refused.Status.Detail);
    }

    [Fact]
    public async Task AServiceKey_NamingAnotherService_IsRefused()
    {
        var forged = Sign("auction", Signers.ServicesAudience, "quote", RoleNames.Service);

        var refused = await RefusedAsync(() => Clock(System.ServiceChannel("transport"), forged));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Fact]
    public async Task ATokenWhoseIssuerIsNotItsKeysSigner_IsRefused()
    {
        var forged = Sign("auction", Signers.ServicesAudience, "D-100", RoleNames.Buyer, issuer: Signers.Gateway);

        var refused = await RefusedAsync(() => Clock(System.ServiceChannel("quote"), forged));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("signed with a key of 'auction'", refused.Status.Detail);
    }

    [Fact]
    public async Task ACaller100YearToken_IsRefusedAtTheGateway()
    {
        var forged = Sign(Signers.Identity, Signers.PublicAudience, "D-100", RoleNames.Buyer, lifetime: TimeSpan.FromDays(36_500));

        var refused = await RefusedAsync(() => Clock(System.GatewayChannel(), forged));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("longer than the 12 h", refused.Status.Detail);
    }

    [Fact]
    public async Task AForwardedIdentity_LivingLongerThanTenMinutes_IsRefusedByAService()
    {
        var forged = Sign(Signers.Gateway, Signers.ServicesAudience, "D-100", RoleNames.Buyer, lifetime: TimeSpan.FromHours(1));

        var refused = await RefusedAsync(() => Clock(System.ServiceChannel("auction"), forged));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("longer than the 10 min", refused.Status.Detail);
    }

    [Fact]
    public async Task ATokenIssuedInTheFuture_CannotStretchItsLifetime()
    {
        // iat a year ahead, exp an hour after it: an hour's lifetime on paper, a year's in use.
        var now = DateTime.UtcNow;
        var forged = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Signers.Identity,
            Audience = Signers.PublicAudience,
            Subject = new ClaimsIdentity([new Claim("sub", "D-100"), new Claim("role", RoleNames.Buyer)]),
            IssuedAt = now.AddYears(1),
            NotBefore = now,
            Expires = now.AddYears(1).AddHours(1),
            SigningCredentials = Tokens.Keys.SigningCredentialsOf(Signers.Identity),
        });

        var refused = await RefusedAsync(() => Clock(System.GatewayChannel(), forged));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("issued in the future", refused.Status.Detail);
    }

    [Fact]
    public async Task ATokenWithoutAnIssueTime_IsRefused()
    {
        var forged = Sign(Signers.Identity, Signers.PublicAudience, "D-100", RoleNames.Buyer, withIssuedAt: false);

        var refused = await RefusedAsync(() => Clock(System.GatewayChannel(), forged));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("no issue time", refused.Status.Detail);
    }

    [Fact]
    public async Task AnHmacToken_KeyedWithThePublicKey_IsRefused()
    {
        // The classic algorithm confusion: HS256 "signed" with the verifier's public key material.
        var identityKey = Tokens.Keys.Resolve(Tokens.Keys.SigningCredentialsOf(Signers.Identity).Kid, new HashSet<string> { Signers.Identity }).Single();
        var publicBytes = Encoding.UTF8.GetBytes(((JsonWebKey)identityKey).X + ((JsonWebKey)identityKey).Y);
        var forged = new JsonWebTokenHandler().CreateToken(Descriptor(Signers.Identity, Signers.PublicAudience, "D-100", RoleNames.Remarketing,
            new SigningCredentials(new SymmetricSecurityKey(publicBytes) { KeyId = identityKey.KeyId }, SecurityAlgorithms.HmacSha256), TimeSpan.FromMinutes(5), true));

        var refused = await RefusedAsync(() => Clock(System.GatewayChannel(), forged));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Fact]
    public async Task AnUnsignedToken_IsRefused()
    {
        var payload = Base64UrlEncoder.Encode($$"""{"iss":"identity","aud":"remarketing","sub":"RC-1","role":"remarketing","iat":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}},"exp":{{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}}}""");
        var unsigned = $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{payload}.";

        var refused = await RefusedAsync(() => Clock(System.GatewayChannel(), unsigned));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Theory]
    [InlineData("aud3-agd1", "'AUD3-AGD1'")]
    [InlineData("AUD3-AGD1\u200B", "U+200B")]
    [InlineData(" AUD3-AGD1", "a space (U+0020)")]
    public async Task ATokenWhoseSubjectIsAnotherSpellingOfAnId_IsRefused_AtTheGatewayAndAtAService(string subject, string says)
    {
        // Signed with the real keys: only the spelling is wrong. Such a subject passed the check that a dealer may not bid on its own listing.
        var atGateway = await RefusedAsync(() => Clock(System.GatewayChannel(), Sign(Signers.Identity, Signers.PublicAudience, subject, RoleNames.Buyer)));
        var atService = await RefusedAsync(() => Clock(System.ServiceChannel("auction"), Sign(Signers.Gateway, Signers.ServicesAudience, subject, RoleNames.Buyer)));

        Assert.Equal(StatusCode.Unauthenticated, atGateway.StatusCode);
        Assert.Contains(says, atGateway.Status.Detail);
        Assert.Equal(StatusCode.Unauthenticated, atService.StatusCode);
    }

    [Fact]
    public async Task DevToken_IssuesTheCanonicalSpelling_AndRefusesAnInvisibleCharacter()
    {
        using var http = new HttpClient { BaseAddress = System.GatewayHttpAddress };

        var issued = await http.PostAsJsonAsync("/dev/token", new { subject = " aud3-agd1 ", role = RoleNames.Buyer });
        var invisible = await http.PostAsJsonAsync("/dev/token", new { subject = "AUD3-AGD1\u200B", role = RoleNames.Buyer });
        var token = new JsonWebToken((await issued.Content.ReadFromJsonAsync<Dictionary<string, string>>())!["token"]);

        Assert.Equal("AUD3-AGD1", token.Subject);
        Assert.Equal(HttpStatusCode.BadRequest, invisible.StatusCode);
        Assert.Contains("invisible character (U+200B)", await invisible.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DevToken_NeverIssuesTheServiceRole()
    {
        using var http = new HttpClient { BaseAddress = System.GatewayHttpAddress };

        var refused = await http.PostAsJsonAsync("/dev/token", new { subject = "quote", role = RoleNames.Service });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("services sign their own", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DevToken_AnswersOnlyCallersOnThisMachine()
    {
        // The fixture binds the gateway's HTTP port on every interface: reach it by this machine's own network address.
        var outside = Dns.GetHostAddresses(Dns.GetHostName()).Concat(HostAddresses())
            .FirstOrDefault(address => address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address));
        Assert.True(outside is not null, "this machine has no non-loopback IPv4 address to call from");
        using var http = new HttpClient { BaseAddress = new Uri($"http://{outside}:{System.GatewayHttpAddress.Port}") };

        var fromOutside = await http.PostAsJsonAsync("/dev/token", new { subject = "D-7", role = RoleNames.Buyer });
        var health = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.NotFound, fromOutside.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task DevToken_AddressedByAnotherName_IsNotServed()
    {
        // A page in the developer's browser pointing a name of its own at 127.0.0.1 (DNS rebinding).
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(System.GatewayHttpAddress, "/dev/token"))
        {
            Content = JsonContent.Create(new { subject = "RC-1", role = RoleNames.Remarketing }),
        };
        request.Headers.Host = $"attacker.example:{System.GatewayHttpAddress.Port}";

        var reply = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, reply.StatusCode);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task TheGateway_RefusesToStart_WithDevTokensOutsideDevelopmentAndLocal(string environment)
    {
        var settings = new Dictionary<string, string>(Tokens.Settings())
        {
            ["Gateway:DevTokens"] = "true",
            ["Kestrel:Endpoints:Grpc:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
        };

        var (exitCode, output) = await RemarketingSystem.RunUntilExitAsync("Remarketing.Gateway", settings, environment, TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.NotEqual(-1, exitCode);
        Assert.Contains($"Gateway:DevTokens is on in the {environment} environment", output);
    }

    private static IEnumerable<IPAddress> HostAddresses() =>
        global::System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(network => network.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address);

    private static async Task Clock(Grpc.Net.Client.GrpcChannel channel, string token) =>
        await new ClockService.ClockServiceClient(channel).GetClockAsync(new GetClockRequest(), new Metadata { { "authorization", $"Bearer {token}" } });

    private static async Task<RpcException> RefusedAsync(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

    /// <summary>A token signed with <paramref name="signer"/>'s real key, saying whatever the test wants it to say.</summary>
    private string Sign(string signer, string audience, string subject, string role, TimeSpan? lifetime = null, string? issuer = null, bool withIssuedAt = true) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = withIssuedAt }.CreateToken(
            Descriptor(issuer ?? signer, audience, subject, role, Tokens.Keys.SigningCredentialsOf(signer), lifetime ?? TimeSpan.FromMinutes(5), withIssuedAt));

    private static SecurityTokenDescriptor Descriptor(string issuer, string audience, string subject, string role, SigningCredentials credentials, TimeSpan lifetime, bool withIssuedAt)
    {
        var now = DateTime.UtcNow;
        return new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("role", role)]),
            IssuedAt = withIssuedAt ? now : null,
            NotBefore = withIssuedAt ? now : null,
            Expires = now + lifetime,
            SigningCredentials = credentials,
        };
    }
}
