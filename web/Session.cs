using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.JSInterop;

namespace Remarketing.Web;

/// <summary>
/// Who is signed in on this tab: the caller's token (kept in the tab's session storage, so a reload
/// keeps it and closing the tab forgets it), its role and subject as the token names them, and why
/// the last sign-in ended, if it did. The local profile signs in through the gateway's /dev/token;
/// a real identity provider would hand the page a token instead (docs/web.md).
/// </summary>
public sealed class Session(HttpClient http, IJSRuntime js, TimeProvider clock)
{
    private const string StorageKey = "remarketing.token";

    public string? Token { get; private set; }

    public string Role { get; private set; } = "";

    public string Subject { get; private set; } = "";

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>Why the caller was signed out (an expired or refused token), for the sign-in page to say.</summary>
    public string? EndedBecause { get; private set; }

    public bool IsSignedIn => Token is not null && ExpiresAt > clock.GetUtcNow();

    public event Action? Changed;

    public async Task RestoreAsync()
    {
        if (Token is not null)
            return;
        var stored = await js.InvokeAsync<string?>("sessionStorage.getItem", StorageKey);
        if (stored is not null && Read(stored) is { } token && token.ExpiresAt > clock.GetUtcNow())
            Use(stored, token);
    }

    /// <summary>Signs in through /dev/token (the local profile's identity provider); null, or why not.</summary>
    public async Task<string?> SignInAsync(string role, string subject)
    {
        using var response = await http.PostAsJsonAsync("dev/token", new DevTokenRequest(subject, role));
        if (!response.IsSuccessStatusCode)
        {
            var refusal = response.Content.Headers.ContentType?.MediaType == "application/json"
                ? (await response.Content.ReadFromJsonAsync<DevTokenRefusal>())?.Error
                : null;
            return refusal ?? $"sign-in was refused ({(int)response.StatusCode}): /dev/token answers only in the local profile, on this machine";
        }
        var issued = await response.Content.ReadFromJsonAsync<DevTokenResponse>() ?? throw new InvalidOperationException("/dev/token answered without a token");
        var token = Read(issued.Token) ?? throw new InvalidOperationException("/dev/token answered with a token that is not a JWT");
        await js.InvokeVoidAsync("sessionStorage.setItem", StorageKey, issued.Token);
        Use(issued.Token, token);
        return null;
    }

    /// <summary>Forgets the token; <paramref name="because"/> says why, on the sign-in page.</summary>
    public async Task SignOutAsync(string? because = null)
    {
        Token = null;
        Role = Subject = "";
        EndedBecause = because;
        await js.InvokeVoidAsync("sessionStorage.removeItem", StorageKey);
        Changed?.Invoke();
    }

    private void Use(string raw, (string Role, string Subject, DateTimeOffset ExpiresAt) token)
    {
        (Token, Role, Subject, ExpiresAt, EndedBecause) = (raw, token.Role, token.Subject, token.ExpiresAt, null);
        Changed?.Invoke();
    }

    /// <summary>The role, subject and expiry a JWT names (read for display only: the gateway checks the signature).</summary>
    private static (string Role, string Subject, DateTimeOffset ExpiresAt)? Read(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
            return null;
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            var root = claims.RootElement;
            return (root.GetProperty("role").GetString() ?? "", root.GetProperty("sub").GetString() ?? "", DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("exp").GetInt64()));
        }
        catch (Exception exception) when (exception is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private sealed record DevTokenRequest(string Subject, string Role);

    private sealed record DevTokenResponse(string Token);

    private sealed record DevTokenRefusal(string Error);
}
