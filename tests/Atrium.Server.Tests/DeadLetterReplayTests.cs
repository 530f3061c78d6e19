using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;
using Atrium.Testing;

namespace Atrium.Server.Tests;

/// <summary>An event a consumer keeps refusing lands in the dead letters, where an operator sees it and replays it.</summary>
public sealed class DeadLetterReplayTests(ProbeFixture fixture) : IClassFixture<ProbeFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Fact]
    public async Task A_refused_event_is_dead_lettered_listed_and_replayed_once()
    {
        var marker = Guid.NewGuid().ToString("N");
        fixture.Behaviour.Failing[marker] = true;
        await fixture.PublishAsync(marker, TestContext.Current.CancellationToken);

        var page = await Eventually.ReachesAsync(
            _client.ListDeadLettersAsync, p => p.Items.Any(i => i.Payload.Contains(marker, StringComparison.Ordinal)), "the probe to be dead-lettered");
        var letter = page.Items.Single(i => i.Payload.Contains(marker, StringComparison.Ordinal));
        Assert.Equal(ProbeConsumer.Name, letter.Consumer);
        Assert.Equal(ProbeEvent.EventType, letter.Type);
        Assert.Equal(2, letter.Attempts);
        Assert.Contains("refused on purpose", letter.LastError, StringComparison.Ordinal);
        Assert.InRange(letter.FailedAt, letter.OccurredAt, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.False(fixture.Behaviour.Handled.ContainsKey(marker));

        fixture.Behaviour.Failing.TryRemove(marker, out _);
        using (var replay = await _client.SendAdminAsync(HttpMethod.Post, $"{AdminRequests.DeadLetters}/{letter.Id}/replay"))
        {
            Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        }

        await Eventually.ReachesAsync(
            () => Task.FromResult(fixture.Behaviour.Handled.GetValueOrDefault(marker)), count => count > 0, "the replayed probe to be handled");
        var after = await _client.ListDeadLettersAsync();
        Assert.DoesNotContain(after.Items, i => i.Id == letter.Id);
        Assert.Equal(1, fixture.Behaviour.Handled[marker]);

        using var second = await _client.SendAdminAsync(HttpMethod.Post, $"{AdminRequests.DeadLetters}/{letter.Id}/replay");
        await Api.ReadProblemAsync(second, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_event_its_consumer_accepts_is_handled_and_not_dead_lettered()
    {
        var marker = Guid.NewGuid().ToString("N");
        await fixture.PublishAsync(marker, TestContext.Current.CancellationToken);

        await Eventually.ReachesAsync(
            () => Task.FromResult(fixture.Behaviour.Handled.GetValueOrDefault(marker)), count => count > 0, "the probe to be handled");

        var page = await _client.ListDeadLettersAsync();
        Assert.DoesNotContain(page.Items, i => i.Payload.Contains(marker, StringComparison.Ordinal));
    }
}
