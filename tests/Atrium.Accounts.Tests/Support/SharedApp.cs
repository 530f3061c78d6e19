namespace Atrium.Accounts.Tests.Support;

/// <summary>
/// One app shared by the tests of a class; each test makes its own users. Account creation is not
/// rate-limited here (every test request comes from the same client address); the limit has its own test.
/// </summary>
public sealed class SharedApp() : TestApp(new Dictionary<string, string?>
{
    ["Accounts:RegistrationsPerHour"] = "1000000",
    ["Accounts:RegistrationBurst"] = "100000",
}, probe: true);
