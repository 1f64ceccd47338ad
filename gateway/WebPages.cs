using Microsoft.AspNetCore.StaticFiles;

namespace Remarketing.Gateway;

/// <summary>
/// The remarketing center's and the buying dealers' pages (web/): static files, which browsers
/// reach on the HTTP/1.1 port. Every address under /center/ and /buyer/ (and /) answers with the
/// one page, which routes inside the browser; the page calls the system only through gRPC-Web,
/// with the caller's own token, through the same checks as every other client. The page may run
/// only its own scripts and WebAssembly and call only its own origin (Content-Security-Policy):
/// an injected script could otherwise read the caller's token.
/// </summary>
public static class WebPages
{
    private static readonly string[] PagePaths = ["/", "/center", "/center/{**page}", "/buyer", "/buyer/{**page}"];

    /// <summary>Its own scripts, WebAssembly compiled from its own files, its own styles and origin; no frame, no plugin.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The pages' files where the build left them (the web project's wwwroot and build output, as
    /// its static web assets manifest names them), in every environment: run.sh and the tests run
    /// the built gateway, not a published one.
    /// </summary>
    public static void AddWebPages(this WebApplicationBuilder builder) => builder.WebHost.UseStaticWebAssets();

    /// <summary>The files, then the page for every address it routes; GET and HEAD only.</summary>
    public static void UseWebPages(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    headers.XContentTypeOptions = "nosniff";
                    if (context.Response.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true)
                    {
                        headers.ContentSecurityPolicy = ContentSecurityPolicy;
                        headers["Referrer-Policy"] = "no-referrer";
                    }
                    return Task.CompletedTask;
                });
            }
            return next(context);
        });
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
