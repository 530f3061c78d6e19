namespace Atrium.Lab.FanOut;

/// <summary>
/// One post of the <c>fanout</c> experiment: the timeline entries its fan-out wrote, how long until every active
/// follower's timeline held it (null when it was not pushed) and until a reader's feed showed it (null: never, within
/// the wait), both from just before the POST.
/// </summary>
internal sealed record PostMeasurement(bool Celebrity, long Writes, double? FanOutMs, double? VisibleMs);
