using System.Net.Http.Headers;

namespace Atrium.Security.Tests.Support;

/// <summary>
/// Sends <see cref="HostileRequest"/>s to the in-memory server as the caller they name and checks the answer
/// (<see cref="ProblemCheck"/>) within a deadline: a request still unanswered after it is a hang, which fails.
/// </summary>
public sealed class HostileSender(SecurityFixture fixture) : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly HttpClient _client = fixture.CreateAnonymousClient();

    /// <summary>Sends the request; throws <see cref="HostileRequestException"/> when the answer breaks the invariant.</summary>
    public async Task SendAsync(HostileRequest request, CancellationToken cancellationToken)
    {
        if (await ViolationAsync(request, cancellationToken) is { } violation)
        {
            throw new HostileRequestException($"{violation}\n  request: {request}");
        }
    }

    public async Task<string?> ViolationAsync(HostileRequest request, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        using var message = Build(request);
        try
        {
            using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var body = await response.Content.ReadAsStringAsync(deadline.Token);
            return ProblemCheck.Violation(
                (int)response.StatusCode, response.Content.Headers.ContentType, body, request.Operation.Method == "HEAD", request.Operation.IsPage);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {Deadline.TotalSeconds:0} s (a hang)";
        }
        catch (HttpRequestException ex)
        {
            return $"the request failed on the server: {ex}";
        }
    }

    private HttpRequestMessage Build(HostileRequest request)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Operation.Method), new Uri(request.Target, UriKind.Relative));
        if (request.Body is { } body)
        {
            message.Content = new ByteArrayContent(body);
            if (request.ContentType is { } contentType)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        var user = request.Caller switch
        {
            Caller.Owner => fixture.Owner,
            Caller.Stranger => fixture.Stranger,
            _ => null,
        };
        if (user is not null && !message.Headers.Contains("Authorization") && !message.Headers.Contains("X-Api-Key"))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        }

        return message;
    }

    public void Dispose() => _client.Dispose();
}
