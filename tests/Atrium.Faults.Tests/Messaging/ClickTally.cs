namespace Atrium.Faults.Tests.Messaging;

/// <summary>
/// The click invariant checked per link: applied clicks (stored in <c>links_clicks_hourly</c>) against the ledger,
/// where a link's count must lie between its acknowledged redirects and those plus its unknown ones.
/// </summary>
/// <param name="Acknowledged">Redirects answered 302.</param>
/// <param name="Unknown">Redirects without a definite answer (may or may not count).</param>
/// <param name="Applied">Clicks stored.</param>
/// <param name="Lost">Acknowledged clicks missing from the store, summed over links.</param>
/// <param name="Duplicated">Clicks stored beyond acknowledged + unknown, summed over links.</param>
public sealed record ClickTally(long Acknowledged, long Unknown, long Applied, long Lost, long Duplicated)
{
    public override string ToString() =>
        $"acknowledged {Acknowledged}, unknown {Unknown}, applied {Applied}, lost {Lost}, duplicated {Duplicated}";
}
