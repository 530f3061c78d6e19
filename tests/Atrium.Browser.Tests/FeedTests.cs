using System.Text.RegularExpressions;
using Atrium.Browser.Tests.Support;
using Atrium.Testing;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit;

namespace Atrium.Browser.Tests;

/// <summary>
/// The Feed page: compose, the home timeline (infinite scroll, new posts by poll), profiles with Follow, posts
/// shown as text, accessibility, and how it looks on a desktop and a phone.
/// </summary>
public sealed partial class FeedTests(AtriumBrowserFixture fixture) : BrowserTest(fixture)
{
    /// <summary>The page polls every ~10 s, and fan-out runs on workers: new posts get this long to show up.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions PollDeadline = new() { Timeout = 45_000 };

    private static readonly AxeRunOptions Rules = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    };

    private ILocator Posts => Page.Locator(".post-item");

    private ILocator FollowToggle => Page.GetByRole(AriaRole.Button, new() { Name = "Follow", Exact = true });

    [Fact]
    public async Task A_new_post_of_someone_I_follow_appears_without_a_reload()
    {
        using var client = Fixture.CreateClient();
        var author = await FeedApi.SignUpAsync(client, NewUsername("grace"), "Grace Hopper", Ct);
        var reader = await NewUserAsync();
        await SignInAsync(reader.Username, TestUsers.Password);

        // Follow through the profile page, then go to the (still empty) home timeline.
        await Page.GotoAsync($"/#/feed/@{author.Username}");
        await Expect(Heading("Grace Hopper")).ToBeVisibleAsync();
        await FollowToggle.ClickAsync();
        await Expect(FollowToggle).ToHaveAttributeAsync("aria-pressed", "true");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Your feed" }).ClickAsync();
        await Expect(Heading("Feed")).ToBeVisibleAsync();
        await Expect(Page.GetByText("Your timeline is empty")).ToBeVisibleAsync();
        await Page.EvaluateAsync("() => { window.__sameDocument = true; }");

        using (var asAuthor = Fixture.CreateClient().As(author))
        {
            await FeedApi.PostAsync(asAuthor, "Found the first actual bug today.\nIt was a moth.", Ct);
        }

        // The poll finds it; it waits behind a button (and a live-region message) until asked for.
        var show = Button("Show 1 new post");
        await Expect(show).ToBeVisibleAsync(PollDeadline);
        await Expect(Page.Locator("[role='status']").Filter(new() { HasText = "1 new post in your timeline" })).ToHaveCountAsync(1);
        await Expect(Posts).ToHaveCountAsync(0);
        await ScreenshotAsync("14-feed-new-post-waiting");
        await show.ClickAsync();

        await Expect(Posts).ToHaveCountAsync(1);
        var post = Posts.First;
        await Expect(post.Locator("article")).ToBeFocusedAsync();
        await Expect(post.GetByRole(AriaRole.Link, new() { Name = $"Grace Hopper @{author.Username}" })).ToHaveAttributeAsync("href", $"#/feed/@{author.Username}");
        Assert.Equal("Found the first actual bug today.\nIt was a moth.", await post.GetByTestId("post-text").InnerTextAsync());
        await Expect(post.Locator("time")).ToHaveTextAsync(new Regex("just now|minute"));
        await Expect(show).ToBeHiddenAsync();
        Assert.True(await Page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was reloaded");
    }

    [Fact]
    public async Task Compose_counts_to_500_refuses_what_the_server_refuses_and_posts_to_the_top()
    {
        var user = await NewUserAsync();
        await SignInAsync(user.Username, TestUsers.Password);
        await Page.GotoAsync("/#/feed");
        var text = Field("Write a post");
        var post = Button("Post");
        var counter = Page.Locator(".compose-counter");

        await Expect(post).ToBeDisabledAsync();
        await Expect(counter).ToHaveTextAsync("0 / 500");
        await text.FillAsync("   \n  ");
        await Expect(post).ToBeDisabledAsync();

        await text.FillAsync(new string('a', 501));
        await Expect(counter).ToHaveTextAsync("1 character over the limit of 500");
        await Expect(text).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(post).ToBeDisabledAsync();

        // 500 user-perceived characters: an emoji with a skin tone counts once, as the server counts it.
        await text.FillAsync(new string('b', 499) + "👍🏽");
        await Expect(counter).ToHaveTextAsync("500 / 500");
        await Expect(post).ToBeEnabledAsync();

        // What only the server checks (a control character) comes back as its ProblemDetails, next to the box.
        await text.FillAsync("ring the bell \u0007 now");
        await post.ClickAsync();
        var error = Page.Locator(".compose .field-error");
        await Expect(error).ToContainTextAsync("control character");
        await Expect(text).ToBeFocusedAsync();
        await Expect(text).ToHaveAttributeAsync("aria-invalid", "true");

        await text.FillAsync("Hello, feed!\nSecond line.");
        await Expect(error).ToBeHiddenAsync();
        await post.ClickAsync();
        await Expect(Posts).ToHaveCountAsync(1);
        Assert.Equal("Hello, feed!\nSecond line.", await Posts.First.GetByTestId("post-text").InnerTextAsync());
        await Expect(text).ToHaveValueAsync("");
        await Expect(post).ToBeDisabledAsync();

        // Ctrl+Enter posts too; the newest is on top.
        await text.FillAsync("Keyboard post");
        await text.PressAsync("Control+Enter");
        await Expect(Posts).ToHaveCountAsync(2);
        await Expect(Posts.First.GetByTestId("post-text")).ToHaveTextAsync("Keyboard post");
    }

    [Fact]
    public async Task Scrolling_down_loads_the_next_page_without_duplicates()
    {
        using var client = Fixture.CreateClient();
        var author = await FeedApi.SignUpAsync(client, NewUsername("ada"), "Ada Lovelace", Ct);
        var reader = await NewUserAsync();
        using (var asReader = Fixture.CreateClient().As(reader))
        using (var asAuthor = Fixture.CreateClient().As(author))
        {
            await FeedApi.FollowAsync(asReader, author.Username, Ct);
            for (var i = 1; i <= 25; i++)
            {
                await FeedApi.PostAsync(asAuthor, $"Note {i}", Ct);
            }

            await FeedApi.WaitForTimelineAsync(asReader, 25, Ct);
        }

        await SignInAsync(reader.Username, TestUsers.Password);
        await Page.GotoAsync("/#/feed");
        await Expect(Posts).ToHaveCountAsync(20);
        await Expect(Posts.First.GetByTestId("post-text")).ToHaveTextAsync("Note 25");

        // No click: bringing the end of the list into view loads the next page (with the cursor, not an offset).
        var nextPage = Page.WaitForRequestAsync(new Regex(@"/api/v1/feed\?.*cursor="));
        await Posts.Last.ScrollIntoViewIfNeededAsync();
        await Page.Mouse.WheelAsync(0, 2000);
        await nextPage;
        await Expect(Posts).ToHaveCountAsync(25);

        var ids = await Posts.EvaluateAllAsync<string[]>("items => items.map(item => item.dataset.id)");
        Assert.Equal(25, ids.Distinct().Count());
        var texts = await Page.GetByTestId("post-text").AllTextContentsAsync();
        Assert.Equal(Enumerable.Range(1, 25).Reverse().Select(i => $"Note {i}"), texts);
        await Expect(Button("Load more posts")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Load_more_works_from_the_keyboard_without_infinite_scroll()
    {
        var user = await NewUserAsync();
        using (var asUser = Fixture.CreateClient().As(user))
        {
            for (var i = 1; i <= 22; i++)
            {
                await FeedApi.PostAsync(asUser, $"Entry {i}", Ct);
            }
        }

        // A browser without IntersectionObserver (or a keyboard user who never scrolls): the button loads the next page.
        await Context.AddInitScriptAsync("delete window.IntersectionObserver;");
        await SignInAsync(user.Username, TestUsers.Password);
        await Page.GotoAsync($"/#/feed/@{user.Username}");
        await Expect(Posts).ToHaveCountAsync(20);
        var more = Button("Load more posts");
        await more.FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Posts).ToHaveCountAsync(22);
        await Expect(Posts.Nth(20).Locator("article")).ToBeFocusedAsync();
        await Expect(more).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_timeline_being_rebuilt_says_so_and_checks_again_shortly()
    {
        var user = await NewUserAsync();
        using (var asUser = Fixture.CreateClient().As(user))
        {
            await FeedApi.PostAsync(asUser, "Mine, shown while the rest is rebuilt", Ct);
        }

        await SignInAsync(user.Username, TestUsers.Password);

        // The server's first answer says the timeline is being rebuilt (as after weeks away); the next ones do not.
        var answers = 0;
        await Page.RouteAsync(new Regex(@"/api/v1/feed\?"), async route =>
        {
            var response = await route.FetchAsync();
            var body = await response.TextAsync();
            if (Interlocked.Increment(ref answers) == 1)
            {
                body = body.Replace("\"regenerating\":false", "\"regenerating\":true", StringComparison.Ordinal);
            }

            await route.FulfillAsync(new() { Response = response, Body = body });
        });

        await Page.GotoAsync("/#/feed");
        var notice = Page.Locator(".feed-rebuilding");
        await Expect(notice).ToContainTextAsync("being brought up to date");
        await Expect(Posts).ToHaveCountAsync(1);
        await Expect(notice).ToBeHiddenAsync(); // asked again, and the timeline is ready
        Assert.True(answers >= 2);
        await Expect(Posts).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_partial_timeline_says_some_posts_could_not_be_loaded_and_try_again_reloads()
    {
        var user = await NewUserAsync();
        using (var asUser = Fixture.CreateClient().As(user))
        {
            await FeedApi.PostAsync(asUser, "Mine, shown while a celebrity merge is slow", Ct);
        }

        await SignInAsync(user.Username, TestUsers.Password);

        // The server's first answer says the celebrities' posts were left out (their merge ran past its budget).
        var answers = 0;
        await Page.RouteAsync(new Regex(@"/api/v1/feed\?"), async route =>
        {
            var response = await route.FetchAsync();
            var body = await response.TextAsync();
            if (Interlocked.Increment(ref answers) == 1)
            {
                Assert.Contains("\"partial\":false", body, StringComparison.Ordinal);
                body = body.Replace("\"partial\":false", "\"partial\":true", StringComparison.Ordinal);
            }

            await route.FulfillAsync(new() { Response = response, Body = body });
        });

        await Page.GotoAsync("/#/feed");
        var notice = Page.Locator(".feed-partial");
        await Expect(notice).ToContainTextAsync("Some posts could not be loaded.");
        await Expect(Posts).ToHaveCountAsync(1); // what did arrive is shown
        await ScreenshotAsync("15-feed-partial");
        await notice.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
        await Expect(notice).ToBeHiddenAsync(); // the reload from the top was complete
        await Expect(Posts).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Follow_on_a_profile_toggles_and_rolls_back_when_the_server_refuses()
    {
        using var client = Fixture.CreateClient();
        var author = await FeedApi.SignUpAsync(client, NewUsername("alan"), "Alan Turing", Ct);
        var reader = await FeedApi.SignUpAsync(client, NewUsername("joan"), "Joan Clarke", Ct);
        await SignInAsync(reader.Username, TestUsers.Password);

        // Found by username from the Feed page.
        await Page.GotoAsync("/#/feed");
        await Page.GetByRole(AriaRole.Search).GetByLabel("Username").FillAsync($"@{author.Username}");
        await Button("Go to profile").ClickAsync();
        await Expect(Heading("Alan Turing")).ToBeFocusedAsync();
        var followers = Page.Locator(".profile-counts div").Filter(new() { HasText = "Followers" }).Locator(".profile-count-value");
        await Expect(followers).ToHaveTextAsync("0");
        await Expect(FollowToggle).ToHaveAttributeAsync("aria-pressed", "false");

        await FollowToggle.ClickAsync();
        await Expect(FollowToggle).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(followers).ToHaveTextAsync("1");
        await Expect(Page.Locator(".profile-relation")).ToHaveTextAsync($"You follow @{author.Username}.");

        // The server agrees: after a reload the toggle is still pressed, and the Followers list shows the reader.
        await Page.ReloadAsync();
        await Expect(FollowToggle).ToHaveAttributeAsync("aria-pressed", "true");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Followers" }).ClickAsync();
        await Expect(Page.Locator(".person-item")).ToHaveCountAsync(1);
        await Expect(Page.Locator(".person-item")).ToContainTextAsync($"Joan Clarke @{reader.Username}");

        // A refused unfollow goes back to pressed, count and all, and says why.
        await Page.RouteAsync(new Regex("/api/v1/users/[^/]+/follow$"), route => route.FulfillAsync(new()
        {
            Status = 503,
            ContentType = "application/problem+json",
            Body = """{"status":503,"title":"Service Unavailable","detail":"The feed is resting for a moment."}""",
        }));
        await FollowToggle.ClickAsync();
        await Expect(Page.GetByText("The feed is resting for a moment.", new() { Exact = false })).ToBeVisibleAsync();
        await Expect(FollowToggle).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(followers).ToHaveTextAsync("1");

        await Page.UnrouteAllAsync(new() { Behavior = UnrouteBehavior.Wait });
        await FollowToggle.ClickAsync();
        await Expect(FollowToggle).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(followers).ToHaveTextAsync("0");
        await Page.ReloadAsync();
        await Expect(FollowToggle).ToHaveAttributeAsync("aria-pressed", "false");

        // On your own profile there is nothing to follow; an unknown name is a page of its own.
        await Page.GotoAsync($"/#/feed/@{reader.Username}");
        await Expect(Heading("Joan Clarke")).ToBeVisibleAsync();
        await Expect(Page.Locator(".profile-relation")).ToHaveTextAsync("This is you.");
        await Expect(FollowToggle).ToHaveCountAsync(0);
        await Page.GotoAsync("/#/feed/@nobody_by_this_name");
        await Expect(Heading("No such person")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_post_that_looks_like_markup_is_shown_as_text()
    {
        const string Markup = "<img src=x onerror=alert(1)> <b>not bold</b>";
        var alerts = 0;
        Page.Dialog += (_, dialog) => { alerts++; _ = dialog.DismissAsync(); };
        var user = await NewUserAsync();
        await SignInAsync(user.Username, TestUsers.Password);
        await Page.GotoAsync("/#/feed");

        await Field("Write a post").FillAsync(Markup);
        await Button("Post").ClickAsync();
        await Expect(Posts).ToHaveCountAsync(1);
        await Expect(Posts.First.GetByTestId("post-text")).ToHaveTextAsync(Markup);

        // The same from the server, on the profile.
        await Page.GotoAsync($"/#/feed/@{user.Username}");
        await Expect(Posts).ToHaveCountAsync(1);
        await Expect(Posts.First.GetByTestId("post-text")).ToHaveTextAsync(Markup);
        await Expect(Page.Locator("main img, main b")).ToHaveCountAsync(0);
        Assert.Equal(0, alerts);
    }

    [Fact]
    public async Task Deleting_my_post_asks_first()
    {
        var user = await NewUserAsync();
        using (var asUser = Fixture.CreateClient().As(user))
        {
            await FeedApi.PostAsync(asUser, "Keep me", Ct);
            await FeedApi.PostAsync(asUser, "Delete me", Ct);
        }

        await SignInAsync(user.Username, TestUsers.Password);
        await Page.GotoAsync($"/#/feed/@{user.Username}");
        await Expect(Posts).ToHaveCountAsync(2);
        var postCount = Page.Locator(".profile-counts div").Filter(new() { HasText = "Posts" }).Locator(".profile-count-value");
        await Expect(postCount).ToHaveTextAsync("2");
        var doomed = Posts.Filter(new() { HasText = "Delete me" });
        var dialog = Page.GetByRole(AriaRole.Dialog);

        await doomed.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(Posts).ToHaveCountAsync(2);

        await doomed.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete post" }).ClickAsync();
        await Expect(Posts).ToHaveCountAsync(1);
        await Expect(Posts.First).ToContainTextAsync("Keep me");
        await Expect(postCount).ToHaveTextAsync("1");
        await Expect(Posts.First.Locator("article")).ToBeFocusedAsync(); // focus moves on, not lost with the post

        await Page.ReloadAsync();
        await Expect(Posts).ToHaveCountAsync(1);
        await Expect(Posts.First).ToContainTextAsync("Keep me");
    }

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task The_feed_and_profiles_pass_axe(ColorScheme scheme)
    {
        await Page.EmulateMediaAsync(new() { ColorScheme = scheme });
        var (reader, author) = await SceneAsync();
        await SignInAsync(reader.Username, TestUsers.Password);

        await Page.GotoAsync("/#/feed");
        await Expect(Posts).ToHaveCountAsync(4);
        await Field("Write a post").FillAsync(new string('x', 510));
        await AssertAccessibleAsync("feed, with an over-long draft");

        await Page.GotoAsync($"/#/feed/@{author.Username}");
        await Expect(Posts).ToHaveCountAsync(4);
        await AssertAccessibleAsync("profile");

        await Page.GotoAsync($"/#/feed/@{author.Username}/followers");
        await Expect(Page.Locator(".person-item")).ToHaveCountAsync(1);
        await AssertAccessibleAsync("followers");

        await Page.GotoAsync($"/#/feed/@{reader.Username}/followers");
        await Expect(Page.GetByText("No one follows you yet.")).ToBeVisibleAsync();
        await AssertAccessibleAsync("own followers, empty");

        await Page.GotoAsync("/#/feed/@nobody_by_this_name");
        await Expect(Heading("No such person")).ToBeVisibleAsync();
        await AssertAccessibleAsync("unknown profile");

        var newcomer = await NewUserAsync();
        await AccountMenu().ClickAsync();
        await Button("Sign out").ClickAsync();
        await Expect(Heading("Welcome back")).ToBeVisibleAsync();
        await SignInAsync(newcomer.Username, TestUsers.Password);
        await Page.GotoAsync("/#/feed");
        await Expect(Page.GetByText("Your timeline is empty")).ToBeVisibleAsync();
        await AssertAccessibleAsync("empty feed");
    }

    [Fact]
    public async Task The_feed_and_a_profile_look_right_on_a_desktop_and_a_phone()
    {
        var (reader, author) = await SceneAsync();
        await SignInAsync(reader.Username, TestUsers.Password);

        await Page.GotoAsync("/#/feed");
        await Expect(Posts).ToHaveCountAsync(4);
        await Page.Mouse.MoveAsync(0, 0);
        await ScreenshotAsync("10-feed");
        await Page.GotoAsync($"/#/feed/@{author.Username}");
        await Expect(Posts).ToHaveCountAsync(4);
        await ScreenshotAsync("11-feed-profile");
        await Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await ScreenshotAsync("12-feed-profile-dark");
        await Page.GotoAsync("/#/feed");
        await Expect(Posts).ToHaveCountAsync(4);
        await ScreenshotAsync("12-feed-dark");
        await Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });

        await Page.SetViewportSizeAsync(390, 844);
        await AssertNoHorizontalScrollAsync("feed on a phone");
        await ScreenshotAsync("13-phone-feed");
        await Page.GotoAsync($"/#/feed/@{author.Username}");
        await Expect(Posts).ToHaveCountAsync(4);
        await AssertNoHorizontalScrollAsync("profile on a phone");
        await ScreenshotAsync("13-phone-feed-profile");
        await Page.GotoAsync($"/#/feed/@{author.Username}/followers");
        await Expect(Page.Locator(".person-item")).ToHaveCountAsync(1);
        await AssertNoHorizontalScrollAsync("followers on a phone");
        await Page.SetViewportSizeAsync(360, 740);
        await Page.GotoAsync("/#/feed");
        await Expect(Posts).ToHaveCountAsync(4);
        await AssertNoHorizontalScrollAsync("feed at 360 px");
    }

    /// <summary>A reader who follows an author with four posts (one long, one with line breaks), in the reader's timeline.</summary>
    private async Task<(TestUser Reader, TestUser Author)> SceneAsync()
    {
        using var client = Fixture.CreateClient();
        var author = await FeedApi.SignUpAsync(client, NewUsername("margaret"), "Margaret Hamilton", Ct);
        var reader = await FeedApi.SignUpAsync(client, NewUsername("katherine"), "Katherine Johnson", Ct);
        using var asAuthor = Fixture.CreateClient().As(author);
        using var asReader = Fixture.CreateClient().As(reader);
        await FeedApi.FollowAsync(asReader, author.Username, Ct);
        await FeedApi.PostAsync(asAuthor, "Software engineering is an engineering discipline. We should call it that.", Ct);
        await FeedApi.PostAsync(asAuthor, "Checklist for today:\n- review the restart logic\n- priority displays\n- lunch", Ct);
        await FeedApi.PostAsync(asAuthor, "A very long word to test wrapping: supercalifragilisticexpialidocious_" + new string('x', 80), Ct);
        await FeedApi.PostAsync(asAuthor, "The 1202 alarm was the computer doing exactly what it was designed to do: drop the low-priority work and keep landing. "
            + "Good systems degrade on purpose, not by accident.", Ct);
        await FeedApi.WaitForTimelineAsync(asReader, 4, Ct);
        return (reader, author);
    }

    private async Task AssertAccessibleAsync(string where)
    {
        var result = await Page.RunAxe(Rules);
        var problems = result.Violations.Select(v =>
            $"- {v.Id} ({v.Impact}): {v.Help}\n" + string.Join("\n", v.Nodes.Select(n => $"    {n.Target}: {n.Html}")));
        Assert.True(result.Violations.Length == 0, $"axe found problems on {where}:\n{string.Join("\n", problems)}");
    }

    private async Task AssertNoHorizontalScrollAsync(string where)
    {
        var widths = await Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"{where}: the page is {widths[0]} px wide in a {widths[1]} px window.");
    }
}
