namespace Remarketing.Auction.Tests;

/// <summary>The events channel's message, as the scripts' prelude writes it and the hub reads it.</summary>
public sealed class AnnouncementTests
{
    [Fact]
    public void AnAnnouncement_ReadsBackAsWritten()
    {
        var written = new ListingSchema.Announcement("L-42", 7, 9);

        Assert.Equal("L-42 7 9", written.Message);
        Assert.Equal(written, ListingSchema.Announcement.Parse(written.Message));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("L-1 1")]
    [InlineData("L-1 one 2")]
    [InlineData("L-1 1 2 3")]
    [InlineData("L-1 -1 2")]
    public void AnythingElse_IsNoAnnouncement(string? message) => Assert.Null(ListingSchema.Announcement.Parse(message));
}
