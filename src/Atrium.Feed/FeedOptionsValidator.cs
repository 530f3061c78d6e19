using Microsoft.Extensions.Options;

namespace Atrium.Feed;

/// <summary>Fails start-up with the exact reason when the <c>Feed</c> settings do not hold together.</summary>
internal sealed class FeedOptionsValidator : IValidateOptions<FeedOptions>
{
    public ValidateOptionsResult Validate(string? name, FeedOptions options) =>
        options.Validate() is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
