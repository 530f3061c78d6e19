using Atrium.Platform.Messaging;

namespace Atrium.Platform.Endpoints;

/// <summary>A page of dead letters; pass <paramref name="NextAfter"/> as <c>after</c> for the next one.</summary>
internal sealed record DeadLetterPage(IReadOnlyList<DeadLetter> Items, long? NextAfter);
