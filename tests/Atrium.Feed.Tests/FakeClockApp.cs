using Atrium.Feed.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Atrium.Feed.Tests;

/// <summary>An app on a fake clock (starting at the real now), where followers go inactive after 7 days.</summary>
public sealed class FakeClockApp() : FeedApp(new Dictionary<string, string?>(), new FakeTimeProvider(DateTimeOffset.UtcNow));
