using System.Globalization;
using Atrium.Chat.Data;
using Atrium.Chat.Domain;
using Atrium.Chat.Protocol;
using Atrium.Platform.Data;
using Atrium.Platform.Users;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Atrium.Chat.Endpoints;

/// <summary>
/// The conversations API under <c>/api/v1/conversations</c> (docs/chat-protocol.md). A conversation the caller is not
/// a member of answers 404 exactly like one that does not exist.
/// </summary>
internal static class ConversationApi
{
    public const int MaxBodyBytes = 64 * 1024;

    public static RouteGroupBuilder MapConversationApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/conversations").WithTags("Chat").RequireAuthorization(AuthPolicies.SignedIn);
        group.MapPost("/", CreateAsync).WithName("CreateConversation").WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));
        group.MapGet("/", ListAsync).WithName("ListConversations");
        group.MapGet("/{id:long}", GetAsync).WithName("GetConversation");
        group.MapPost("/{id:long}/members", AddMembersAsync).WithName("AddConversationMembers").WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));
        group.MapGet("/{id:long}/messages", HistoryAsync).WithName("ListMessages");
        group.MapPost("/{id:long}/messages", SendAsync).WithName("SendMessage").WithMetadata(new RequestSizeLimitAttribute(ChatLimits.MaxFrameBytes * 2));
        group.MapPost("/{id:long}/read", ReadAsync).WithName("MarkRead").WithMetadata(new RequestSizeLimitAttribute(ChatLimits.MaxFrameBytes)); // as the read frame
        return group;
    }

    public static async Task<Results<Created<ConversationResponse>, Ok<ConversationResponse>, ProblemHttpResult>> CreateAsync(
        CreateConversationRequest request, HttpContext http, IUserDirectory directory, ConversationStore store, ChatService chat, ChatViews views,
        CancellationToken cancellationToken)
    {
        var me = http.User.RequiredUserId();
        var title = string.IsNullOrWhiteSpace(request.Title) ? null : request.Title.Trim();
        if (title is { Length: > ChatLimits.MaxTitleLength })
        {
            return Problems.Validation($"title is longer than {ChatLimits.MaxTitleLength} characters.");
        }

        if (title is not null && title.Any(char.IsControl))
        {
            return Problems.Validation("title contains a control character.");
        }

        var (others, problem) = await ResolveAsync(request.Members, me, directory, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (others.Count == 0)
        {
            return Problems.Validation("members must name at least one other user.");
        }

        if (others.Count + 1 > ChatLimits.MaxMembers)
        {
            return Problems.Validation($"A conversation has at most {ChatLimits.MaxMembers} members, you included.");
        }

        var kind = others.Count == 1 && title is null ? ConversationKind.Direct : ConversationKind.Group;
        var (id, created, targets) = await store.CreateAsync(me, others, kind, title, cancellationToken);
        await chat.AnnounceConversationAsync(targets, cancellationToken);
        var conversation = await views.ConversationAsync(id, me, cancellationToken)
            ?? throw new InvalidOperationException("The conversation just created is not visible to its creator.");
        return created
            ? TypedResults.Created($"/api/v1/conversations/{conversation.Id}", conversation)
            : TypedResults.Ok(conversation);
    }

    public static async Task<Results<Ok<ConversationPage>, ProblemHttpResult>> ListAsync(
        HttpContext http, IDatabase database, ChatViews views, CancellationToken cancellationToken,
        int limit = ChatLimits.DefaultConversationPage, string? cursor = null)
    {
        if (limit is < 1 or > ChatLimits.MaxConversationPage)
        {
            return Problems.Validation($"limit must be between 1 and {ChatLimits.MaxConversationPage}.");
        }

        long? beforeActivity = null, beforeId = null;
        if (cursor is not null)
        {
            if (!ConversationCursor.TryParse(cursor, out var activity, out var lastId))
            {
                return Problems.Validation("cursor is not a cursor this API returned.");
            }

            (beforeActivity, beforeId) = (activity, lastId);
        }

        await using var connection = await database.OpenReadAsync(cancellationToken);
        var rows = await ConversationStore.ListAsync(connection, http.User.RequiredUserId(), beforeActivity, beforeId, limit + 1, cancellationToken);
        var page = rows.Take(limit).ToArray();
        var next = rows.Count > limit ? ConversationCursor.Encode(page[^1].LastActivity, page[^1].Id) : null;
        return TypedResults.Ok(new ConversationPage(await views.ConversationsAsync(connection, page, cancellationToken), next));
    }

    public static async Task<Results<Ok<ConversationResponse>, ProblemHttpResult>> GetAsync(
        long id, HttpContext http, IDatabase database, ChatViews views, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        return await ConversationStore.FindAsync(connection, id, http.User.RequiredUserId(), cancellationToken) is { } row
            ? TypedResults.Ok((await views.ConversationsAsync(connection, [row], cancellationToken))[0])
            : NotFound();
    }

    public static async Task<Results<Ok<ConversationResponse>, ProblemHttpResult>> AddMembersAsync(
        long id, AddMembersRequest request, HttpContext http, IUserDirectory directory, ConversationStore store, ChatService chat, ChatViews views,
        CancellationToken cancellationToken)
    {
        var me = http.User.RequiredUserId();
        var (others, problem) = await ResolveAsync(request.Members, me, directory, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (outcome, targets) = await store.AddMembersAsync(id, me, others, cancellationToken);
        switch (outcome)
        {
            case ConversationStore.AddOutcome.NotFound:
                return NotFound();
            case ConversationStore.AddOutcome.NotAGroup:
                return Problems.Conflict("Members can be added to groups only; start a group with everyone instead.");
            case ConversationStore.AddOutcome.TooMany:
                return Problems.Validation($"A conversation has at most {ChatLimits.MaxMembers} members.");
        }

        await chat.AnnounceConversationAsync(targets, cancellationToken);
        return await views.ConversationAsync(id, me, cancellationToken) is { } conversation ? TypedResults.Ok(conversation) : NotFound();
    }

    public static async Task<Results<Ok<MessagePage>, ProblemHttpResult>> HistoryAsync(
        long id, HttpContext http, IDatabase database, ChatViews views, CancellationToken cancellationToken,
        long? before = null, int limit = ChatLimits.DefaultHistoryPage)
    {
        if (limit is < 1 or > ChatLimits.MaxHistoryPage)
        {
            return Problems.Validation($"limit must be between 1 and {ChatLimits.MaxHistoryPage}.");
        }

        if (before is < 1)
        {
            return Problems.Validation("before must be a seq (1 or more).");
        }

        await using var connection = await database.OpenReadAsync(cancellationToken);
        if (await ConversationStore.MembershipAsync(connection, null, id, http.User.RequiredUserId(), cancellationToken) is not { } member)
        {
            return NotFound();
        }

        var rows = await MessageStore.PageAsync(connection, id, member.JoinedSeq, before ?? long.MaxValue, limit, cancellationToken);
        var page = rows.Take(limit).Reverse().ToArray();
        return TypedResults.Ok(new MessagePage(await views.MessagesAsync(page, cancellationToken), rows.Count > limit));
    }

    public static async Task<Results<Created<SentResponse>, Ok<SentResponse>, ProblemHttpResult>> SendAsync(
        long id, SendMessageRequest request, HttpContext http, ChatService chat, CancellationToken cancellationToken)
    {
        var result = await chat.SendAsync(http.User.RequiredUserId(), id, request.ClientMessageId, request.Text, cancellationToken);
        switch (result.Status)
        {
            case SendStatus.Sent:
                return TypedResults.Created($"/api/v1/conversations/{id}/messages?before={result.Message!.Seq + 1}&limit=1", Sent(result.Message));
            case SendStatus.Duplicate:
                return TypedResults.Ok(Sent(result.Message!));
            case SendStatus.NotFound:
                return NotFound();
            case SendStatus.RateLimited:
                var seconds = Math.Max(1, (int)Math.Ceiling(result.RetryAfter!.Value.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return TypedResults.Problem($"Sending too fast; retry in {seconds} s.", statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");
            default:
                return Problems.Validation(result.Error ?? "Invalid message.");
        }
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ReadAsync(
        long id, ReadRequest request, HttpContext http, ChatService chat, CancellationToken cancellationToken)
    {
        if (request.Seq < 0)
        {
            return Problems.Validation("seq must be 0 or more.");
        }

        return await chat.ReadAsync(http.User.RequiredUserId(), id, request.Seq, cancellationToken) ? TypedResults.NoContent() : NotFound();
    }

    private static SentResponse Sent(MessageRow message) =>
        new(ChatViews.Id(message.ConversationId), message.Seq, ChatViews.Id(message.MessageId));

    private static ProblemHttpResult NotFound() => Problems.NotFound("No such conversation.");

    /// <summary>The ids of the named users other than <paramref name="me"/>, distinct; a 400 naming the unknown ones.</summary>
    private static async Task<(IReadOnlyList<long> Ids, ProblemHttpResult? Problem)> ResolveAsync(
        IReadOnlyList<string>? usernames, long me, IUserDirectory directory, CancellationToken ct)
    {
        if (usernames is null || usernames.Count == 0)
        {
            return ([], Problems.Validation("members must list at least one username."));
        }

        if (usernames.Count > ChatLimits.MaxMembers)
        {
            return ([], Problems.Validation($"A conversation has at most {ChatLimits.MaxMembers} members."));
        }

        var ids = new List<long>();
        var unknown = new List<string>();
        foreach (var username in usernames.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(username) || await directory.FindByUsernameAsync(username, ct) is not { } user)
            {
                unknown.Add(username ?? "");
            }
            else if (user.Id != me && !ids.Contains(user.Id))
            {
                ids.Add(user.Id);
            }
        }

        return unknown.Count > 0
            ? ([], Problems.Validation($"Unknown user(s): {string.Join(", ", unknown.Take(10))}."))
            : (ids, null);
    }
}
