using Xunit;

namespace Remarketing.Testing;

/// <summary>Where the built service processes are: artifacts/bin/&lt;project&gt;/&lt;configuration&gt;/ (UseArtifactsOutput); the docs' generated sections.</summary>
public static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built in ("debug" or "release"): the name of the test assembly's folder.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;

    public static string BuiltAssembly(string project)
    {
        var path = Path.Combine(Root, "artifacts", "bin", project, Configuration, project + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{project} is not built in {Configuration}: build the solution first (./test.sh does).", path);
    }

    /// <summary>
    /// Asserts that the part of docs/<paramref name="page"/> between <c>&lt;!-- name:begin --&gt;</c>
    /// and <c>&lt;!-- name:end --&gt;</c> reads <paramref name="expected"/> (a table made from the
    /// code); the failure prints what it should read.
    /// </summary>
    public static void AssertGeneratedSection(string page, string name, string expected)
    {
        var text = File.ReadAllText(Path.Combine(Root, "docs", page));
        var begin = $"<!-- {name}:begin -->";
        var end = $"<!-- {name}:end -->";
        var start = text.IndexOf(begin, StringComparison.Ordinal);
        var stop = text.IndexOf(end, StringComparison.Ordinal);
        Assert.True(start >= 0 && stop > start, $"docs/{page} has no section between {begin} and {end}");
        var documented = text[(start + begin.Length)..stop].Trim();
        Assert.True(expected.Trim() == documented, $"docs/{page}'s section {name} is out of date; it should read:\n{expected.Trim()}");
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Remarketing.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"Remarketing.sln not found above {AppContext.BaseDirectory}");
    }
}
