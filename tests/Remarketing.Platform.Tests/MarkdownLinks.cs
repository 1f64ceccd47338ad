using System.Text.RegularExpressions;

namespace Remarketing.Platform.Tests;

/// <summary>
/// The links of a markdown page as a reader on GitHub follows them (inline links and images,
/// reference definitions, HTML href and src), leaving out code blocks and code spans; and whether
/// a link still leads somewhere in a fresh clone of the repository.
/// </summary>
public static partial class MarkdownLinks
{
    private static readonly string[] ExternalSchemes = ["http", "https", "mailto"];

    /// <summary>Every link target on the page, with its 1-based line.</summary>
    public static IReadOnlyList<(int Line, string Target)> In(string markdown)
    {
        var links = new List<(int Line, string Target)>();
        string? fence = null;
        var lines = markdown.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd('\r');
            var opening = FenceLine().Match(line);
            if (opening.Success)
            {
                var marker = opening.Groups["fence"].Value;
                if (fence is null)
                    fence = marker;
                else if (marker[0] == fence[0] && marker.Length >= fence.Length)
                    fence = null;
                continue;
            }

            if (fence is not null)
                continue;

            var text = CodeSpan().Replace(line, "code");
            foreach (var match in InlineLink().Matches(text).Concat(ReferenceDefinition().Matches(text)).Concat(HtmlLink().Matches(text)))
                links.Add((index + 1, match.Groups["target"].Value));
        }

        return links;
    }

    /// <summary>
    /// Why a link on the page at <paramref name="pagePath"/> is broken, or null when it is fine:
    /// http(s) and mailto links and anchors on the same page are not checked; any other link must
    /// name, relative to the page, a file or folder inside the repository (its #anchor aside).
    /// </summary>
    public static string? Problem(string repositoryRoot, string pagePath, string target)
    {
        if (target.StartsWith('#'))
            return null;

        var scheme = Scheme().Match(target);
        if (scheme.Success)
        {
            return ExternalSchemes.Contains(scheme.Groups["scheme"].Value.ToLowerInvariant())
                ? null
                : "a link with a scheme other than http, https or mailto does not lead into the repository";
        }

        var path = Uri.UnescapeDataString(target.Split('#', '?')[0]);
        if (path.Length == 0)
            return "an empty link";
        if (path.StartsWith('/') || path.StartsWith('\\'))
            return "an absolute path: write it relative to the page";

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(repositoryRoot));
        var resolved = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(pagePath))!, path)));
        if (resolved != root && !resolved.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            return "it leaves the repository, so a clone has nothing there";

        return File.Exists(resolved) || Directory.Exists(resolved)
            ? null
            : $"no file or folder {Path.GetRelativePath(root, resolved)} in the repository";
    }

    // A fence opens or closes a code block: up to three spaces, then ``` or ~~~ (or longer).
    [GeneratedRegex(@"^ {0,3}(?<fence>`{3,}|~{3,})")]
    private static partial Regex FenceLine();

    [GeneratedRegex(@"(`+)(?:(?!\1).)+?\1")]
    private static partial Regex CodeSpan();

    // [text](target "title") and ![alt](target); the target may be written <in angle brackets>.
    [GeneratedRegex(@"\]\(\s*(?:<(?<target>[^>]*)>|(?<target>[^\s)]*))")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^ {0,3}\[[^\]]+\]:\s*<?(?<target>[^\s>]+)>?")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"\b(?:href|src)\s*=\s*[""'](?<target>[^""']*)[""']", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlLink();

    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.-]*):")]
    private static partial Regex Scheme();
}
