namespace Remarketing.Testing;

/// <summary>Where the built service processes are: artifacts/bin/&lt;project&gt;/&lt;configuration&gt;/ (UseArtifactsOutput).</summary>
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
