using Microsoft.AspNetCore.StaticFiles;

namespace Remarketing.Gateway;

/// <summary>
/// The remarketing center's and the buying dealers' pages (web/): static files, on the HTTP/1.1
/// port only. Every address under /center/ and /buyer/ (and /) answers with the one page, which
/// routes inside the browser; the page calls the system only through gRPC-Web, with the caller's
/// own token, through the same checks as every other client.
/// </summary>
public static class WebPages
{
    private static readonly string[] PagePaths = ["/", "/center", "/center/{**page}", "/buyer", "/buyer/{**page}"];

    /// <summary>
    /// The pages' files where the build left them (the web project's wwwroot and build output, as
    /// its static web assets manifest names them), in every environment: run.sh and the tests run
    /// the built gateway, not a published one.
    /// </summary>
    public static void AddWebPages(this WebApplicationBuilder builder) => builder.WebHost.UseStaticWebAssets();

    /// <summary>The files, then the page for every address it routes; GET and HEAD only.</summary>
    public static void UseWebPages(this WebApplication app)
    {
        // The runtime also loads the assemblies' symbol files, a type static files do not know.
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".pdb"] = "application/octet-stream";
        app.UseStaticFiles(new StaticFileOptions { ContentTypeProvider = types });
    }

    public static void MapWebPages(this WebApplication app)
    {
        foreach (var path in PagePaths)
            app.MapFallbackToFile(path, "index.html").WithMetadata(new HttpMethodMetadata(["GET", "HEAD"]));
    }
}
