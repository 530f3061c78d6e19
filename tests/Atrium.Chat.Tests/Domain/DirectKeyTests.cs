using Atrium.Chat.Domain;
using CsCheck;
using Xunit;

namespace Atrium.Chat.Tests.Domain;

public sealed class DirectKeyTests
{
    [Fact]
    public void A_pair_has_one_key_whoever_starts() =>
        Gen.Select(Gen.Long[1, long.MaxValue], Gen.Long[1, long.MaxValue]).Sample((a, b) =>
            ConversationKind.DirectKey(a, b) == ConversationKind.DirectKey(b, a));
}
