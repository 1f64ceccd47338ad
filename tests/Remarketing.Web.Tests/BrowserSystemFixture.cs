using System.Globalization;

namespace Remarketing.Web.Tests;

/// <summary>
/// The whole system as processes, and a headless chromium (Debian's, at <c>CHROMIUM</c> or
/// /usr/bin/chromium) that opens its pages. The clock runs at real speed: a test moves it with
/// SetClock where it needs time to pass.
/// </summary>
public sealed class BrowserSystemFixture : SystemOnRedisFixture
{
    private static readonly string[] ChromiumFlags =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    /// <summary>What each page wrote to its console, for a failure to quote.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, List<string>> Consoles = [];

    private IPlaywright? _playwright;
    private readonly List<IBrowserContext> _open = [];

    /// <summary>Closes every page a test opened: an open page keeps its streams and its drawing going, and would load the next test's browser.</summary>
    public async Task CloseOpenedAsync()
    {
        foreach (var context in _open)
            await context.CloseAsync();
        _open.Clear();
    }
    private int _requests;

    public IBrowser Browser { get; private set; } = null!;

    public AuctionService.AuctionServiceClient Auction { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Streams:HeartbeatInterval"] = "00:00:01",
        // The center sets up hundreds of listings at once for the load test: its write limit, not the pages', is raised.
        ["RateLimits:Writes:TokenLimit"] = "2000",
        ["RateLimits:Writes:TokensPerPeriod"] = "1000",
        // A refused hand-off is set aside after its retries in a few seconds, not minutes.
        ["HandOffs:PollInterval"] = "00:00:00.100",
        ["HandOffs:FirstBackoff"] = "00:00:00.100",
        ["HandOffs:MaxBackoff"] = "00:00:01",
    };

    /// <summary>A vehicle's steps through the system, as the parties outside it play them.</summary>
    public Lifecycle Steps { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
            throw new InvalidOperationException($"no chromium at {chromium}: apt-get install -y chromium (or set CHROMIUM to its path)");
        await base.InitializeAsync();
        Auction = new AuctionService.AuctionServiceClient(System.GatewayChannel());
        Steps = new Lifecycle(System);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ChromiumFlags });
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A page of its own (a fresh context: its own session storage), signed in by the address.</summary>
    public async Task<IPage> OpenAsync(string path, string role, string subject)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        _open.Add(context);
        var page = await context.NewPageAsync();
        var console = Consoles.GetOrCreateValue(page);
        page.Console += (_, message) => console.Add($"{message.Type}: {message.Text}");
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        await page.GotoAsync(new Uri(System.GatewayHttpAddress, $"{path}{separator}as={role}:{subject}").ToString());
        return page;
    }

    /// <summary>Waits for <paramref name="locator"/>; on a timeout, says what the page showed instead.</summary>
    public static async Task ShowsAsync(IPage page, ILocator locator, float timeoutMs = 60_000)
    {
        try
        {
            await locator.WaitForAsync(new() { Timeout = timeoutMs });
        }
        catch (TimeoutException timeout)
        {
            var shown = await page.Locator("body").InnerTextAsync();
            var console = string.Join("\n", Consoles.GetOrCreateValue(page).Where(line => !line.StartsWith("debug", StringComparison.Ordinal)));
            throw new TimeoutException(
                $"{timeout.Message}\nthe page showed:\n{shown[..Math.Min(shown.Length, 3_000)]}\nits console:\n{console[..Math.Min(console.Length, 3_000)]}", timeout);
        }
    }

    /// <summary>
    /// Waits until the listing's row shows <paramref name="priceCents"/>, looking every 10 ms (an
    /// assertion's own retries are 100 ms to 1 s apart, too coarse to time a page by).
    /// </summary>
    public static Task ShowsPriceAsync(IPage page, string listingId, long priceCents, TimeSpan timeout) =>
        page.WaitForFunctionAsync(
            "([id, price]) => document.querySelector(`tr[data-listing-id='${id}']`)?.dataset.priceCents === price",
            new object[] { listingId, priceCents.ToString(CultureInfo.InvariantCulture) },
            new() { PollingInterval = 10, Timeout = (float)timeout.TotalMilliseconds });

    /// <summary>The policy the gateway sends with the page (as the gateway's WebPages writes it: the test reads it, not the gateway's code).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Metadata Center => System.Tokens.Bearer("RC-1", RoleNames.Remarketing);

    public Metadata Buyer(string dealer) => System.Tokens.Bearer(dealer, RoleNames.Buyer);

    public string NextRequestId() => $"web-{Interlocked.Increment(ref _requests)}-{Guid.NewGuid():N}";

    public async Task<Listing> CreateListingAsync(string make = "Toyota", TimeSpan? window = null) =>
        await Auction.CreateListingAsync(new CreateListingRequest
        {
            RequestId = NextRequestId(),
            Vin = TestVins.Next(),
            GroundingDealerId = "D-WEB-LOT",
            OpeningPriceCents = 10_000_00,
            FloorPriceCents = 12_000_00,
            Vehicle = new() { ModelYear = 2023, Make = make, Model = "Camry", Trim = "SE" },
            OdometerMiles = 31_000,
            ConditionGradeTenths = 42,
            Duration = window is { } duration ? Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(duration) : null,
        }, Center);

    public Task<PlaceBidResponse> BidAsync(string listingId, string dealer, long amount) =>
        Auction.PlaceBidAsync(new PlaceBidRequest { ListingId = listingId, BidId = NextRequestId(), AmountCents = amount }, Buyer(dealer)).ResponseAsync;

    public static long Cents(string? attribute) => long.Parse(attribute ?? "0", CultureInfo.InvariantCulture);
}
