using System.Text.RegularExpressions;
using Atrium.Browser.Tests.Support;
using Atrium.Testing;
using Microsoft.Playwright;
using Xunit;

namespace Atrium.Browser.Tests;

/// <summary>Signing in and out, the form rules, and keeping the session across reloads and expired tokens.</summary>
public sealed class AuthTests(AtriumBrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_wrong_password_shows_the_servers_error_and_stays_on_sign_in()
    {
        var user = await NewUserAsync();
        await Page.GotoAsync("/#/signin");
        await Expect(Heading("Welcome back")).ToBeVisibleAsync();
        await ScreenshotAsync("02-sign-in");
        await Field("Username").FillAsync(user.Username);
        await Field("Password").FillAsync("not the right password");
        var answer = Page.WaitForResponseAsync(r => r.Url.EndsWith("/api/v1/sessions", StringComparison.Ordinal));
        await Button("Sign in").ClickAsync();

        Assert.Equal(401, (await answer).Status);
        var alert = Page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToBeVisibleAsync();
        await Expect(alert).Not.ToBeEmptyAsync();
        await Expect(Heading("Welcome back")).ToBeVisibleAsync();
        await Expect(Field("Password")).ToBeFocusedAsync();
        await ScreenshotAsync("02-sign-in-error");
    }

    [Fact]
    public async Task Sign_up_explains_what_is_wrong_before_asking_the_server()
    {
        await Page.GotoAsync("/#/signup");
        await Expect(Heading("Create your account")).ToBeVisibleAsync();
        await Button("Create account").ClickAsync();

        await Expect(Page.GetByText("Choose a username.")).ToBeVisibleAsync();
        await Expect(Page.GetByText("Choose a password.")).ToBeVisibleAsync();
        await Expect(Field("Username")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Field("Username")).ToBeFocusedAsync();

        await Field("Username").FillAsync("no spaces");
        await Field("Password").FillAsync("short");
        await Expect(Page.Locator(".rule").First).ToHaveClassAsync(new Regex("rule-unmet"));
        await Button("Create account").ClickAsync();
        await Expect(Page.GetByText("Use 3–32 lowercase letters, digits or underscores.")).ToBeVisibleAsync();
        await Expect(Page.GetByText("Use at least 10 characters.")).ToBeVisibleAsync();
        await ScreenshotAsync("02-sign-up-validation");

        // Capitals are lowered as people type (usernames are lowercase); the rule list follows the password.
        await Field("Username").FillAsync("Grace_Hopper");
        await Expect(Field("Username")).ToHaveValueAsync("grace_hopper");
        await Field("Password").FillAsync("a long enough passphrase");
        await Expect(Page.Locator(".rule").First).ToHaveClassAsync(new Regex("rule-met"));
    }

    [Fact]
    public async Task A_taken_username_is_reported_next_to_the_username()
    {
        var user = await NewUserAsync();
        await Page.GotoAsync("/#/signup");
        await Field("Username").FillAsync(user.Username);
        await Field("Password").FillAsync("a perfectly fine passphrase");
        var answer = Page.WaitForResponseAsync(r => r.Url.EndsWith("/api/v1/accounts", StringComparison.Ordinal));
        await Button("Create account").ClickAsync();

        Assert.Equal(409, (await answer).Status);
        await Expect(Field("Username")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Page.Locator(".field.has-error .field-error")).Not.ToBeEmptyAsync();
    }

    [Fact]
    public async Task A_common_password_is_refused_with_the_servers_reason()
    {
        await Page.GotoAsync("/#/signup");
        await Field("Username").FillAsync(NewUsername());
        await Field("Password").FillAsync("1234567890");
        var answer = Page.WaitForResponseAsync(r => r.Url.EndsWith("/api/v1/accounts", StringComparison.Ordinal));
        await Button("Create account").ClickAsync();

        Assert.Equal(400, (await answer).Status);
        await Expect(Field("Password")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Page.Locator(".field.has-error .field-error")).Not.ToBeEmptyAsync();
    }

    [Fact]
    public async Task Signing_out_revokes_the_session_and_returns_to_sign_in()
    {
        var user = await NewUserAsync();
        await SignInAsync(user.Username, TestUsers.Password);
        var refreshToken = await Page.EvaluateAsync<string>("() => localStorage.getItem('atrium.refreshToken')");
        Assert.False(string.IsNullOrEmpty(refreshToken));

        await AccountMenu().ClickAsync();
        var signOut = Page.WaitForResponseAsync(r => r.Url.EndsWith("/api/v1/sessions", StringComparison.Ordinal) && r.Request.Method == "DELETE");
        await Button("Sign out").ClickAsync();

        Assert.Equal(204, (await signOut).Status);
        await Expect(Heading("Welcome back")).ToBeVisibleAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("#/signin$"));
        Assert.Null(await Page.EvaluateAsync<string?>("() => localStorage.getItem('atrium.refreshToken')"));

        // The old refresh token is dead on the server too.
        var refresh = await Page.APIRequest.PostAsync("/api/v1/sessions/refresh", new() { DataObject = new { refreshToken } });
        Assert.Equal(401, refresh.Status);

        // And the private pages send you to sign in.
        await Page.GotoAsync("/#/links");
        await Expect(Heading("Welcome back")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_reload_keeps_you_signed_in()
    {
        var user = await NewUserAsync();
        await SignInAsync(user.Username, TestUsers.Password);

        await Page.ReloadAsync();

        await Expect(Heading("Links")).ToBeVisibleAsync();
        await AccountMenu().ClickAsync();
        await Expect(Page.Locator(".menu-username")).ToHaveTextAsync($"@{user.Username}");
    }

    [Fact]
    public async Task A_rejected_access_token_is_refreshed_once_and_the_request_retried()
    {
        var user = await NewUserAsync();
        await SignInAsync(user.Username, TestUsers.Password);

        // The server answers the next list request 401, as it would once the access token expired.
        var rejected = 0;
        await Expect(Page.GetByText("No links yet")).ToBeVisibleAsync(); // the first list request is done
        await Page.RouteAsync(new Regex(@"/api/v1/links\?"), async route =>
        {
            if (Interlocked.Increment(ref rejected) == 1)
            {
                await route.FulfillAsync(new() { Status = 401, ContentType = "application/problem+json", Body = """{"status":401,"title":"Unauthorized","detail":"The access token has expired."}""" });
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        var refreshed = Page.WaitForResponseAsync(r => r.Url.EndsWith("/api/v1/sessions/refresh", StringComparison.Ordinal));

        await Page.EvaluateAsync("() => { location.hash = '#/feed'; }");
        await Expect(Heading("Feed")).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Links", Exact = true }).ClickAsync();

        Assert.Equal(200, (await refreshed).Status);
        await Expect(Heading("Links")).ToBeVisibleAsync();
        await Expect(Page.GetByText("No links yet")).ToBeVisibleAsync();
        Assert.Equal(2, rejected);
    }

    [Fact]
    public async Task Signed_in_pages_send_a_signed_out_visitor_to_sign_in_and_back_after()
    {
        var user = await NewUserAsync();
        await Page.GotoAsync("/#/chat");
        await Expect(Heading("Welcome back")).ToBeVisibleAsync();

        await Field("Username").FillAsync(user.Username);
        await Field("Password").FillAsync(TestUsers.Password);
        await Button("Sign in").ClickAsync();

        await Expect(Heading("Chat")).ToBeVisibleAsync();
        await Expect(Page.GetByText("No conversations yet")).ToBeVisibleAsync();
        await ScreenshotAsync("07-chat-after-sign-in");
    }
}
