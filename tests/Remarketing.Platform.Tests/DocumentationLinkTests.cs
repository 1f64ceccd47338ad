namespace Remarketing.Platform.Tests;

/// <summary>
/// The repository documents itself: every relative link in README.md and docs/ leads to a file
/// that a fresh clone has (no link to a sibling folder on someone's machine, no dead path).
/// </summary>
public class DocumentationLinkTests
{
    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string>("README.md");
        foreach (var page in Directory.GetFiles(Path.Combine(RepositoryLayout.Root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            pages.Add(Path.GetRelativePath(RepositoryLayout.Root, page).Replace(Path.DirectorySeparatorChar, '/'));
        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryRelativeLink_LeadsToAFileInTheRepository(string page)
    {
        var path = Path.Combine(RepositoryLayout.Root, page);
        var broken = MarkdownLinks.In(File.ReadAllText(path))
            .Select(link => (link.Line, link.Target, Problem: MarkdownLinks.Problem(RepositoryLayout.Root, path, link.Target)))
            .Where(link => link.Problem is not null)
            .Select(link => $"{page}:{link.Line}: ({link.Target}): {link.Problem}")
            .ToList();

        Assert.True(broken.Count == 0, "broken links:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void TheDesign_IsInTheRepository_AndTheReadmeLinksToIt()
    {
        Assert.True(File.Exists(Path.Combine(RepositoryLayout.Root, "docs", "design.md")), "docs/design.md is missing");
        var readme = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "README.md"));
        Assert.Contains(MarkdownLinks.In(readme), link => link.Target.Split('#')[0] == "docs/design.md");
    }

    [Fact]
    public void Links_AreReadOutsideCodeOnly()
    {
        const string page = """
            See [the design](docs/design.md#2-services) and ![a picture](img/a.png "title").
            A [`code` text](<docs/a b.md>) and `[not a link](nowhere.md)`.
            ```sh
            [not a link either](nowhere.md)
            ```
            [ref]: docs/quote.md
            <a href="docs/auction.md">html</a>
            """;

        string[] expected = ["docs/design.md#2-services", "img/a.png", "docs/a b.md", "docs/quote.md", "docs/auction.md"];

        Assert.Equal(expected, MarkdownLinks.In(page).Select(link => link.Target));
    }

    [Theory]
    [InlineData("../shared/DESIGN.md", "leaves the repository")]
    [InlineData("docs/../../shared/DESIGN.md", "leaves the repository")]
    [InlineData("/work/shared/DESIGN.md", "absolute path")]
    [InlineData("file:///work/shared/DESIGN.md", "scheme")]
    [InlineData("docs/no-such-page.md", "no file or folder")]
    [InlineData("docs/no-such-page.md#anchor", "no file or folder")]
    public void ALinkOutOfTheRepositoryOrToNothing_IsBroken(string target, string because)
    {
        var problem = MarkdownLinks.Problem(RepositoryLayout.Root, Path.Combine(RepositoryLayout.Root, "README.md"), target);

        Assert.NotNull(problem);
        Assert.Contains(because, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://github.com/")]
    [InlineData("http://example.com/a.md")]
    [InlineData("mailto:someone@example.com")]
    [InlineData("#quick-start")]
    [InlineData("docs/security.md#keys")]
    [InlineData("docs/")]
    [InlineData("Remarketing.sln")]
    public void ExternalLinks_AnchorsAndFilesInTheRepository_AreFine(string target) =>
        Assert.Null(MarkdownLinks.Problem(RepositoryLayout.Root, Path.Combine(RepositoryLayout.Root, "README.md"), target));
}
