using Atrium.Accounts.Domain;
using Xunit;

namespace Atrium.Accounts.Tests.Domain;

public sealed class CommonPasswordsTests
{
    [Fact]
    public void The_list_holds_a_few_hundred_distinct_entries_that_the_length_rules_would_otherwise_accept()
    {
        Assert.InRange(CommonPasswords.Count, 300, 2000);
        Assert.Equal(CommonPasswords.All.Count, CommonPasswords.All.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(CommonPasswords.All, p => Assert.InRange(p.Length, PasswordRules.MinLength, PasswordRules.MaxLength));
    }

    [Theory]
    [InlineData("password123")]
    [InlineData("1234567890")]
    [InlineData("qwertyuiop")]
    [InlineData("PASSWORD123")]
    [InlineData("QwErTyUiOp")]
    [InlineData("1q2w3e4r5t")]
    [InlineData("iloveyou123")]
    public void Common_passwords_are_found_whatever_their_case(string password) =>
        Assert.True(CommonPasswords.Contains(password));

    [Theory]
    [InlineData("tulip-marble-canyon-42")]
    [InlineData("correct horse battery staple")]
    [InlineData("password1234567890x")]
    public void Uncommon_passwords_are_not(string password) =>
        Assert.False(CommonPasswords.Contains(password));
}
