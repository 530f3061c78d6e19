using System.Diagnostics.Metrics;

namespace Atrium.Accounts;

/// <summary>The accounts module's instruments (meter <c>Atrium.Accounts</c>), scraped at <c>/metrics</c>.</summary>
internal sealed class AccountsMetrics
{
    public const string MeterName = "Atrium.Accounts";

    public AccountsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        Registrations = meter.CreateCounter<long>("atrium.accounts.registrations", "{account}", "Accounts created.");
        SignIns = meter.CreateCounter<long>("atrium.accounts.sign_ins", "{sign-in}", "Sign-in attempts, by outcome (succeeded, failed, throttled).");
        Refreshes = meter.CreateCounter<long>("atrium.accounts.refreshes", "{refresh}", "Refresh-token presentations, by outcome.");
        SigningKeysCreated = meter.CreateCounter<long>("atrium.accounts.signing_keys_created", "{key}", "Token signing keys this node created.");
    }

    public Counter<long> Registrations { get; }

    public Counter<long> SignIns { get; }

    public Counter<long> Refreshes { get; }

    public Counter<long> SigningKeysCreated { get; }
}
