using Atrium.Testing;
using Microsoft.Playwright;

namespace Atrium.Browser.Tests.Support;

/// <summary>
/// One person in a chat test: their user, their own browser context (own storage, so own session and own
/// socket) and page, with locators for the Chat page. Disposing it closes the context when it made one.
/// </summary>
public sealed class ChatPerson(TestUser user, IBrowserContext context, IPage page, bool ownsContext) : IAsyncDisposable
{
    private readonly List<string> _dialogs = [];

    public TestUser User => user;

    public string Name => user.Username;

    public IBrowserContext Context => context;

    public IPage Page => page;

    /// <summary>Script dialogs (alert, confirm) the page opened: any is a script that should never have run.</summary>
    public IReadOnlyList<string> Dialogs => _dialogs;

    public void RecordDialogs() => page.Dialog += async (_, dialog) =>
    {
        _dialogs.Add($"{dialog.Type}: {dialog.Message}");
        await dialog.DismissAsync();
    };

    public ILocator Heading(string name) => page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true });

    /// <summary>The row of a conversation in the list (its link's name starts with the title).</summary>
    public ILocator ConversationRow(string title) => page.Locator(".chat-item", new() { Has = page.Locator(".chat-item-title", new() { HasTextString = title }) });

    public ILocator UnreadBadge(string title) => ConversationRow(title).GetByTestId("unread-badge");

    public ILocator Composer() => page.GetByRole(AriaRole.Textbox, new() { Name = "Message to" });

    public ILocator Messages() => page.Locator(".message-list > .message");

    public ILocator Message(string text) => page.Locator(".message-list > .message", new() { Has = page.GetByTestId("message-text").GetByText(text, new() { Exact = true }) });

    public ILocator TypingIndicator() => page.GetByTestId("typing-indicator");

    public ILocator ConversationTitle() => page.Locator("#conversation-title");

    public async Task SendAsync(string text)
    {
        await Composer().FillAsync(text);
        await Composer().PressAsync("Enter");
    }

    public ValueTask DisposeAsync() => ownsContext ? context.DisposeAsync() : ValueTask.CompletedTask;
}
