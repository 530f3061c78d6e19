using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atrium.Browser.Tests.Support;
using Atrium.Testing;
using Microsoft.Playwright;
using Xunit;

namespace Atrium.Browser.Tests;

/// <summary>
/// The Chat page, with two (or three) people in their own browser contexts talking to each other through
/// the real server: live messages, unread badges, receipts, typing, presence, groups, history, resuming after
/// a dropped socket, sending over HTTP while it is down, and accessibility.
/// </summary>
public sealed class ChatTests(AtriumBrowserFixture fixture) : BrowserTest(fixture)
{
    private static readonly ViewportSize PhoneSize = new() { Width = 390, Height = 844 };

    [Fact]
    public async Task Two_people_chat_live_with_unread_badges_receipts_typing_and_presence()
    {
        await using var ada = await PersonAsync(Page, Context);
        await using var bob = await PersonAsync();
        await OpenChatAsync(bob);
        await OpenChatAsync(ada);

        // Ada starts a 1:1 with Bob from the New chat form.
        await StartChatAsync(ada, bob.Name);
        await Expect(ada.ConversationTitle()).ToHaveTextAsync(bob.Name);
        await Expect(ada.Page.Locator(".conversation-sub")).ToHaveTextAsync("Online"); // Bob has the Chat page open
        await ada.SendAsync("Hello Bob, lunch at noon?");
        await Expect(ada.Message("Hello Bob, lunch at noon?")).ToHaveAttributeAsync("data-status", "delivered");

        // Bob sees it arrive live in his list, with an unread badge, before opening it.
        await Expect(bob.ConversationRow(ada.Name)).ToContainTextAsync("Hello Bob, lunch at noon?");
        await Expect(bob.UnreadBadge(ada.Name)).ToHaveTextAsync("1 unread message");
        await ScreenshotAsync("chat-01-bob-list-unread", bob.Page);

        // Bob opens it: Ada's message turns to read (✓✓ highlighted), the badge goes.
        await bob.ConversationRow(ada.Name).ClickAsync();
        await Expect(bob.Message("Hello Bob, lunch at noon?")).ToBeVisibleAsync();
        await Expect(bob.UnreadBadge(ada.Name)).ToHaveCountAsync(0);
        await Expect(ada.Message("Hello Bob, lunch at noon?")).ToHaveAttributeAsync("data-status", "read");
        await Expect(ada.Message("Hello Bob, lunch at noon?").Locator(".ticks")).ToHaveAttributeAsync("title", "Read");

        // Bob types: Ada sees him typing. He sends with Enter: the indicator goes and his message arrives.
        await bob.Composer().PressSequentiallyAsync("Sure, see you");
        await Expect(ada.TypingIndicator()).ToHaveTextAsync($"{bob.Name} is typing…");
        await ScreenshotAsync("chat-02-ada-sees-typing", ada.Page);
        await bob.Composer().PressAsync("Shift+Enter");
        await bob.Composer().PressSequentiallyAsync("there!");
        await bob.Composer().PressAsync("Enter");
        await Expect(ada.Message("Sure, see you\nthere!")).ToBeVisibleAsync();
        await Expect(ada.TypingIndicator()).ToHaveTextAsync(string.Empty);
        await Expect(bob.Composer()).ToHaveValueAsync(string.Empty);
        await Expect(ada.Page.GetByTestId("chat-announcer")).ToHaveTextAsync($"{bob.Name}: Sure, see you\nthere!");

        // Markup in a message is text, never HTML: no element is made, no script runs.
        const string markup = "<img src=x onerror=alert(1)>";
        await ada.SendAsync(markup);
        await Expect(bob.Message(markup)).ToBeVisibleAsync();
        await Expect(bob.Message(markup).GetByTestId("message-text")).ToHaveTextAsync(markup);
        await Expect(bob.Page.Locator(".message-list img")).ToHaveCountAsync(0);
        await Expect(bob.ConversationRow(ada.Name).Locator(".chat-item-preview")).ToHaveTextAsync(markup);
        await Expect(ada.Message(markup)).ToHaveAttributeAsync("data-status", "read"); // Bob has it open and in view

        // A reload keeps the history, in order and once each.
        await bob.Page.ReloadAsync();
        await Expect(bob.Messages()).ToHaveCountAsync(3);
        await Expect(bob.Page.GetByTestId("message-text")).ToHaveTextAsync(["Hello Bob, lunch at noon?", "Sure, see you\nthere!", markup]);
        await Expect(bob.Message("Sure, see you\nthere!")).ToHaveAttributeAsync("data-status", "read");

        await ScreenshotAsync("chat-03-ada-desktop", ada.Page);
        await ScreenshotAsync("chat-03-bob-desktop", bob.Page);

        // Phone width: the list and the conversation are separate screens.
        await ada.Page.SetViewportSizeAsync(PhoneSize.Width, PhoneSize.Height);
        await bob.Page.SetViewportSizeAsync(PhoneSize.Width, PhoneSize.Height);
        await Expect(ada.Page.Locator(".chat-sidebar")).ToBeHiddenAsync();
        await Expect(ada.Message(markup)).ToBeVisibleAsync();
        await AssertNoHorizontalScrollAsync(ada.Page, "a conversation on a phone");
        await ScreenshotAsync("chat-04-ada-phone-conversation", ada.Page);
        await bob.Page.GetByRole(AriaRole.Link, new() { Name = "Back to conversations" }).ClickAsync();
        await Expect(bob.Heading("Chat")).ToBeVisibleAsync();
        await Expect(bob.ConversationRow(ada.Name)).ToBeVisibleAsync();
        await Expect(bob.Page.Locator(".chat-conversation")).ToBeHiddenAsync();
        await AssertNoHorizontalScrollAsync(bob.Page, "the conversation list on a phone");
        await ScreenshotAsync("chat-04-bob-phone-list", bob.Page);

        // Bob leaves the Chat page: his socket closes and Ada sees him go offline.
        await bob.Page.GetByRole(AriaRole.Link, new() { Name = "Links" }).ClickAsync();
        await Expect(ada.Page.Locator(".conversation-sub")).ToContainTextAsync("Last seen", new() { Timeout = 30_000 });
        Assert.Empty(ada.Dialogs);
        Assert.Empty(bob.Dialogs);
    }

    [Fact]
    public async Task A_group_of_three_sees_each_other_and_is_read_by_all()
    {
        await using var ada = await PersonAsync(Page, Context);
        await using var bob = await PersonAsync();
        await using var cy = await PersonAsync();
        await OpenChatAsync(ada);
        await OpenChatAsync(bob);
        var title = $"Trip {Guid.NewGuid():N}"[..13];

        await StartChatAsync(ada, $"@{bob.Name}, {cy.Name}", title);
        await Expect(ada.ConversationTitle()).ToHaveTextAsync(title);
        await Expect(ada.Page.Locator(".conversation-sub")).ToHaveTextAsync("3 members, 1 online");
        await Expect(bob.ConversationRow(title)).ToContainTextAsync("Group created"); // live, without a reload

        await ada.SendAsync("Who brings the tent?");
        await Expect(bob.UnreadBadge(title)).ToHaveTextAsync("1 unread message");
        await bob.ConversationRow(title).ClickAsync();
        await Expect(bob.Message("Who brings the tent?")).ToBeVisibleAsync();
        await Expect(bob.Message("Who brings the tent?").Locator(".message-sender")).ToHaveTextAsync(ada.Name);
        // Read by Bob, not yet by Cy: not "read" for a group.
        await Expect(ada.Message("Who brings the tent?")).Not.ToHaveAttributeAsync("data-status", "read");

        // Cy arrives later: the group is in his list (fetched), unread; opening it makes it read by all.
        await OpenChatAsync(cy);
        await Expect(cy.UnreadBadge(title)).ToHaveTextAsync("1 unread message");
        await cy.ConversationRow(title).ClickAsync();
        await Expect(cy.Message("Who brings the tent?")).ToBeVisibleAsync();
        await Expect(ada.Message("Who brings the tent?")).ToHaveAttributeAsync("data-status", "read");

        await cy.SendAsync("I will!");
        await Expect(ada.Message("I will!")).ToBeVisibleAsync();
        await Expect(bob.Message("I will!")).ToBeVisibleAsync();
        await Expect(ada.Message("I will!").Locator(".message-sender")).ToHaveTextAsync(cy.Name);
        await Expect(ada.Page.Locator(".conversation-sub")).ToHaveTextAsync("3 members, 2 online");

        // The members, with their presence.
        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "Members" }).ClickAsync();
        var members = ada.Page.Locator(".members-list .member");
        await Expect(members).ToHaveCountAsync(3);
        await Expect(members.Filter(new() { HasText = bob.Name })).ToContainTextAsync("Online");
        await ScreenshotAsync("chat-05-group-ada", ada.Page);
        await ScreenshotAsync("chat-05-group-cy", cy.Page);

        // Ada adds a fourth person from the members panel.
        var dan = await NewUserAsync();
        await ada.Page.GetByLabel("Add people").FillAsync(dan.Username);
        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Expect(members).ToHaveCountAsync(4);
        await Expect(ada.Page.Locator(".conversation-sub")).ToHaveTextAsync("4 members, 2 online");
        await Expect(bob.Page.Locator(".conversation-sub")).ToHaveTextAsync("4 members, 2 online"); // Bob learns it live

        // The list keeps the most recent activity first, live: Bob's new 1:1 goes on top, then the group again.
        var titles = ada.Page.Locator(".chat-item-title");
        var direct = await DirectConversationAsync(bob.User, ada.Name);
        using (var client = Fixture.CreateClient().As(bob.User))
        {
            await PostMessageAsync(client, direct, "order-1", "Psst, a 1:1");
        }

        await Expect(ada.UnreadBadge(bob.Name)).ToHaveTextAsync("1 unread message");
        await Expect(titles).ToHaveTextAsync([bob.Name, title]);
        await cy.SendAsync("Tent packed");
        await Expect(titles).ToHaveTextAsync([title, bob.Name]);
    }

    [Fact]
    public async Task A_dropped_socket_resumes_without_loss_or_duplicates_and_sends_over_http_meanwhile()
    {
        await using var ada = await PersonAsync(Page, Context);
        await using var bob = await PersonAsync();
        var conversationId = await DirectConversationAsync(ada.User, bob.Name);

        // Bob's socket goes through a switch the test controls: while it is off, every connection is refused.
        var refuse = false;
        IWebSocketRoute? live = null;
        await bob.Context.RouteWebSocketAsync("**/ws", socket =>
        {
            if (Volatile.Read(ref refuse))
            {
                _ = socket.CloseAsync(new() { Code = 1011, Reason = "test: refused" });
                return;
            }

            socket.ConnectToServer();
            live = socket;
        });
        await OpenChatAsync(ada);
        await OpenChatAsync(bob);
        await ada.Page.GotoAsync($"/#/chat/{conversationId}");
        await bob.Page.GotoAsync($"/#/chat/{conversationId}");
        await ada.SendAsync("Before the drop");
        await Expect(bob.Message("Before the drop")).ToBeVisibleAsync();

        Volatile.Write(ref refuse, true);
        await live!.CloseAsync(new() { Code = 1011, Reason = "test: dropped" });
        await Expect(bob.Page.Locator(".chat-connection")).ToContainTextAsync("Offline");

        // Meanwhile Ada writes twice, and Bob sends over HTTP (shown as "sending" until the server has it).
        await ada.SendAsync("While you were away 1");
        await ada.SendAsync("While you were away 2");
        await Expect(ada.Message("While you were away 2")).Not.ToHaveAttributeAsync("data-status", "sending");
        var release = new TaskCompletionSource();
        await bob.Page.RouteAsync("**/api/v1/conversations/*/messages", async route =>
        {
            if (route.Request.Method == "POST")
            {
                await release.Task;
            }

            await route.ContinueAsync();
        });
        await bob.SendAsync("Sent over HTTP");
        await Expect(bob.Message("Sent over HTTP")).ToHaveAttributeAsync("data-status", "sending");
        release.SetResult();
        await Expect(ada.Message("Sent over HTTP")).ToBeVisibleAsync();
        await Expect(bob.Message("Sent over HTTP")).Not.ToHaveAttributeAsync("data-status", "sending");

        // The socket comes back: Bob's client resumes from its last position and gets both, once each.
        Volatile.Write(ref refuse, false);
        await Expect(bob.Message("While you were away 2")).ToBeVisibleAsync(new() { Timeout = 45_000 });
        await Expect(bob.Page.Locator(".chat-connection")).ToBeHiddenAsync();
        await Expect(bob.Page.GetByTestId("message-text")).ToHaveTextAsync(["Before the drop", "While you were away 1", "While you were away 2", "Sent over HTTP"]);
        await Expect(ada.Message("While you were away 2")).ToHaveAttributeAsync("data-status", "read");
        await Expect(ada.Page.GetByTestId("message-text")).ToHaveTextAsync(["Before the drop", "While you were away 1", "While you were away 2", "Sent over HTTP"]);
    }

    [Fact]
    public async Task A_refused_token_is_refreshed_and_the_socket_connects_again()
    {
        var ada = await NewUserAsync();
        var bob = await NewUserAsync();
        var conversationId = await DirectConversationAsync(ada, bob.Username);

        // The first connection is refused as if its token had expired (4401); later ones reach the server.
        var connections = 0;
        await Context.RouteWebSocketAsync("**/ws", socket =>
        {
            if (Interlocked.Increment(ref connections) == 1)
            {
                socket.OnMessage(_ => socket.CloseAsync(new() { Code = 4401, Reason = "test: token expired" }));
                return;
            }

            socket.ConnectToServer();
        });
        var refreshes = 0;
        Page.Request += (_, request) =>
        {
            if (request.Url.EndsWith("/api/v1/sessions/refresh", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref refreshes);
            }
        };

        await SignInAsync(ada.Username, TestUsers.Password);
        await Page.GotoAsync($"/#/chat/{conversationId}");
        await Expect(Page.Locator(".chat-connection")).ToHaveAttributeAsync("data-status", "online");
        Assert.Equal(2, Volatile.Read(ref connections));
        Assert.Equal(1, Volatile.Read(ref refreshes)); // the first hello carries the page's own token; one refresh after the 4401

        // The page's own session still works (the socket's token is the page's, refreshed under its lock), and so does the socket.
        await Page.GetByRole(AriaRole.Textbox, new() { Name = "Message to" }).FillAsync("Still signed in");
        await Page.GetByRole(AriaRole.Textbox, new() { Name = "Message to" }).PressAsync("Enter");
        await Expect(Page.Locator(".message.is-mine")).ToHaveAttributeAsync("data-status", "sent");
        await Page.GotoAsync("/#/links");
        await Expect(Page.GetByText("No links yet")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task History_loads_upward_in_pages()
    {
        var ada = await NewUserAsync();
        var bob = await NewUserAsync();
        var conversationId = await DirectConversationAsync(ada, bob.Username);
        using (var client = Fixture.CreateClient().As(bob))
        {
            for (var i = 1; i <= 60; i++)
            {
                await PostMessageAsync(client, conversationId, $"history-{i}", $"Message {i}");
            }
        }

        await SignInAsync(ada.Username, TestUsers.Password);
        await Page.GotoAsync($"/#/chat/{conversationId}");
        var texts = Page.GetByTestId("message-text");
        await Expect(texts.Last).ToHaveTextAsync("Message 60");
        await Expect(texts).ToHaveCountAsync(50);
        await Expect(Button("Load earlier messages")).ToBeVisibleAsync();

        // Scrolling up to the oldest loaded message fetches the page before it, keeping the reader's place.
        await texts.First.ScrollIntoViewIfNeededAsync();
        await Expect(texts).ToHaveCountAsync(60);
        await Expect(Page.GetByTestId("message-text").GetByText("Message 11", new() { Exact = true })).ToBeInViewportAsync();
        await Expect(texts.First).ToHaveTextAsync("Message 1");
        await Expect(Page.GetByText("This is the beginning of the conversation.")).ToBeVisibleAsync();
        await Expect(Button("Load earlier messages")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task New_chat_names_unknown_usernames_and_an_unknown_conversation_is_not_found()
    {
        var ada = await NewUserAsync();
        await SignInAsync(ada.Username, TestUsers.Password);
        await Page.GotoAsync("/#/chat");
        await Expect(Page.GetByText("No conversations yet")).ToBeVisibleAsync();

        await Button("New chat").ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog, new() { Name = "New chat" });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();
        await Expect(dialog.GetByText("Enter at least one username.")).ToBeVisibleAsync();
        await dialog.GetByLabel("Usernames").FillAsync("nobody_by_this_name");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();
        await Expect(dialog.Locator(".field-error").First).ToContainTextAsync("nobody_by_this_name");
        await Expect(dialog.GetByLabel("Usernames")).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(Button("New chat")).ToBeFocusedAsync();

        await Page.GotoAsync("/#/chat/123456789");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Conversation not found" })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task The_chat_pages_pass_axe(ColorScheme scheme)
    {
        await Page.EmulateMediaAsync(new() { ColorScheme = scheme });
        var ada = await NewUserAsync();
        var bob = await NewUserAsync();
        await SignInAsync(ada.Username, TestUsers.Password);
        await Page.GotoAsync("/#/chat");
        await Expect(Page.GetByText("No conversations yet")).ToBeVisibleAsync();
        await AxeChecks.AssertAccessibleAsync(Page, $"chat, empty ({scheme})");

        await Button("New chat").ClickAsync();
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();
        await Expect(Page.GetByText("Enter at least one username.")).ToBeVisibleAsync();
        await AxeChecks.AssertAccessibleAsync(Page, $"new chat dialog with an error ({scheme})");
        await Page.Keyboard.PressAsync("Escape");

        var conversationId = await DirectConversationAsync(bob, ada.Username);
        using (var client = Fixture.CreateClient().As(bob))
        {
            await PostMessageAsync(client, conversationId, "a11y-1", "Hi! Is the report ready?");
        }

        await Expect(Page.GetByTestId("unread-badge")).ToHaveTextAsync("1 unread message");
        await AxeChecks.AssertAccessibleAsync(Page, $"chat list with an unread conversation ({scheme})");
        await Page.Locator(".chat-item-link").ClickAsync();
        await Expect(Page.Locator(".message").GetByText("Hi! Is the report ready?")).ToBeVisibleAsync(); // the conversation has loaded: type into its composer
        await Page.GetByRole(AriaRole.Textbox, new() { Name = "Message to" }).FillAsync("Almost, give me ten minutes.");
        await Page.GetByRole(AriaRole.Textbox, new() { Name = "Message to" }).PressAsync("Enter");
        await Expect(Page.Locator(".message.is-mine")).ToHaveCountAsync(1);
        await Expect(Page.Locator(".message.is-mine")).ToHaveAttributeAsync("data-status", "sent"); // Bob has no device online: stored, not delivered
        await AxeChecks.AssertAccessibleAsync(Page, $"a conversation ({scheme})");
        await ScreenshotAsync($"chat-06-conversation-{scheme.ToString().ToLowerInvariant()}");
        await Button("Members").ClickAsync();
        await AxeChecks.AssertAccessibleAsync(Page, $"a conversation with its members ({scheme})");

        await Page.SetViewportSizeAsync(PhoneSize.Width, PhoneSize.Height);
        await AxeChecks.AssertAccessibleAsync(Page, $"a conversation on a phone ({scheme})");
        await Page.GotoAsync("/#/chat");
        await Expect(Heading("Chat")).ToBeVisibleAsync();
        await AxeChecks.AssertAccessibleAsync(Page, $"the list on a phone ({scheme})");
    }

    /// <summary>A person with their own browser context; without arguments a new user in a new context.</summary>
    private async Task<ChatPerson> PersonAsync(IPage? page = null, IBrowserContext? context = null)
    {
        var user = await NewUserAsync();
        var owns = context is null;
        if (context is null)
        {
            context = await NewContextAsync(Viewport);
            page = await context.NewPageAsync();
            Watch(page);
        }

        var person = new ChatPerson(user, context, page!, owns);
        person.RecordDialogs();
        await SignInAsync(user.Username, TestUsers.Password, page);
        return person;
    }

    private static async Task OpenChatAsync(ChatPerson person)
    {
        await person.Page.GotoAsync("/#/chat");
        await Expect(person.Heading("Chat")).ToBeVisibleAsync();
        await Expect(person.Page.Locator(".chat-list-status")).Not.ToHaveTextAsync("Loading your conversations…");
    }

    private static async Task StartChatAsync(ChatPerson person, string usernames, string? title = null)
    {
        await person.Page.GetByRole(AriaRole.Button, new() { Name = "New chat" }).ClickAsync();
        var dialog = person.Page.GetByRole(AriaRole.Dialog, new() { Name = "New chat" });
        await dialog.GetByLabel("Usernames").FillAsync(usernames);
        if (title is not null)
        {
            await dialog.GetByLabel("Group name").FillAsync(title);
        }

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(person.Composer()).ToBeFocusedAsync();
    }

    /// <summary>Makes (or finds) the 1:1 of <paramref name="user"/> and <paramref name="other"/> through the API.</summary>
    private async Task<string> DirectConversationAsync(TestUser user, string other)
    {
        using var client = Fixture.CreateClient().As(user);
        using var created = await client.PostAsJsonAsync(new Uri("/api/v1/conversations", UriKind.Relative), new { members = new[] { other } }, Ct);
        Assert.True(created.IsSuccessStatusCode, $"create conversation: {created.StatusCode}");
        return (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
    }

    /// <summary>Sends over HTTP; a 429 (the per-user send limit) waits the Retry-After it names and sends the same message again.</summary>
    private static async Task PostMessageAsync(HttpClient client, string conversationId, string clientMessageId, string text)
    {
        while (true)
        {
            using var sent = await client.PostAsJsonAsync(
                new Uri($"/api/v1/conversations/{conversationId}/messages", UriKind.Relative), new { clientMessageId, text }, Ct);
            if (sent.StatusCode != HttpStatusCode.TooManyRequests)
            {
                Assert.True(sent.IsSuccessStatusCode, $"send {clientMessageId}: {sent.StatusCode}");
                return;
            }

            await Task.Delay(sent.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), Ct);
        }
    }

    private static async Task AssertNoHorizontalScrollAsync(IPage page, string where)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"{where}: the page is {widths[0]} px wide in a {widths[1]} px window.");
    }
}
