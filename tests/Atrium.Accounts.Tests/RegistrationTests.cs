using System.Globalization;
using System.Net;
using System.Text.Json;
using Atrium.Accounts.Tests.Support;
using Xunit;

namespace Atrium.Accounts.Tests;

/// <summary><c>POST /api/v1/accounts</c>: the rules of usernames, passwords and display names, and uniqueness.</summary>
public sealed class RegistrationTests(SharedApp app) : IClassFixture<SharedApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task A_new_account_answers_201_with_its_profile_location_and_a_string_id()
    {
        var username = Api.NewUsername();
        using var response = await _client.RegisterAsync(username, displayName: "  Ada Lovelace 🧮 ");

        var text = await response.TextAsync();
        var account = await Api.ReadAsync<AccountBody>(response, HttpStatusCode.Created);
        Assert.Equal($"/api/v1/users/{username}", response.Headers.Location?.OriginalString);
        Assert.Equal(username, account.Username);
        Assert.Equal("Ada Lovelace 🧮", account.DisplayName);
        Assert.True(long.TryParse(account.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0, account.Id);
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(text).RootElement.GetProperty("id").ValueKind);
        Assert.InRange(account.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.DoesNotContain("password", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_display_name_defaults_to_the_username()
    {
        var account = await _client.RegisterOkAsync();
        Assert.Equal(account.Username, account.DisplayName);
    }

    [Fact]
    public async Task Capitals_are_lower_cased_and_the_username_is_unique_whatever_its_case()
    {
        var username = Api.NewUsername();
        using var created = await _client.RegisterAsync(username.ToUpperInvariant());
        var account = await Api.ReadAsync<AccountBody>(created, HttpStatusCode.Created);
        Assert.Equal(username, account.Username);

        using var same = await _client.RegisterAsync(username);
        using var mixed = await _client.RegisterAsync(char.ToUpperInvariant(username[0]) + username[1..]);

        Assert.Contains("taken", (await Api.ReadProblemAsync(same, HttpStatusCode.Conflict)).Detail, StringComparison.Ordinal);
        await Api.ReadProblemAsync(mixed, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_public_profile_shows_name_and_date_and_finds_any_case()
    {
        var account = await _client.RegisterOkAsync();

        using var response = await _client.GetAsync(Api.Relative($"/api/v1/users/{account.Username.ToUpperInvariant()}"), TestContext.Current.CancellationToken);
        var text = await response.TextAsync();
        var profile = await Api.ReadAsync<ProfileBody>(response, HttpStatusCode.OK);

        Assert.Equal(new ProfileBody(account.Username, account.DisplayName, account.CreatedAt), profile);
        Assert.DoesNotContain(account.Id, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nobody_has_this_name")]
    [InlineData("x")]
    [InlineData("not-a-username")]
    public async Task An_unknown_or_impossible_user_is_404(string username)
    {
        using var response = await _client.GetAsync(Api.Relative($"/api/v1/users/{username}"), TestContext.Current.CancellationToken);
        Assert.Contains(username, (await Api.ReadProblemAsync(response, HttpStatusCode.NotFound)).Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"password":"tulip-marble-canyon-42"}""", "username is required")]
    [InlineData("""{"username":null,"password":"tulip-marble-canyon-42"}""", "username is required")]
    [InlineData("""{"username":"","password":"tulip-marble-canyon-42"}""", "username is required")]
    [InlineData("""{"username":"ab","password":"tulip-marble-canyon-42"}""", "3–32 characters")]
    [InlineData("""{"username":"abcdefghijabcdefghijabcdefghijabc","password":"tulip-marble-canyon-42"}""", "3–32 characters")]
    [InlineData("""{"username":"no-dashes","password":"tulip-marble-canyon-42"}""", "'-' is not allowed")]
    [InlineData("""{"username":"no spaces","password":"tulip-marble-canyon-42"}""", "U+0020 is not allowed")]
    [InlineData("""{"username":"café_au_lait","password":"tulip-marble-canyon-42"}""", "U+00E9 is not allowed")]
    [InlineData("""{"username":"\u212Aelvin","password":"tulip-marble-canyon-42"}""", "U+212A is not allowed")]
    [InlineData("""{"username":"valid_name"}""", "password is required")]
    [InlineData("""{"username":"valid_name","password":""}""", "password is required")]
    [InlineData("""{"username":"valid_name","password":"short1234"}""", "at least 10 characters")]
    [InlineData("""{"username":"valid_name","password":"Password123"}""", "most common")]
    [InlineData("""{"username":"valid_name","password":"1234567890"}""", "most common")]
    [InlineData("""{"username":"valid_name","password":"QWERTYUIOP"}""", "most common")]
    [InlineData("""{"username":"long_enough_name","password":"Long_Enough_Name"}""", "same as the username")]
    [InlineData("""{"username":"valid_name","password":"tulip-marble-canyon-42","displayName":""}""", "displayName must not be blank")]
    [InlineData("""{"username":"valid_name","password":"tulip-marble-canyon-42","displayName":"   "}""", "displayName must not be blank")]
    [InlineData("""{"username":"valid_name","password":"tulip-marble-canyon-42","displayName":"bell\u0007"}""", "control or layout characters")]
    [InlineData("""{"username":"valid_name","password":"tulip-marble-canyon-42","displayName":"line\nbreak"}""", "control or layout characters")]
    [InlineData("""{"username":"valid_name","password":"tulip-marble-canyon-42","displayName":"evil\u202Egnp.exe"}""", "control or layout characters")]
    [InlineData("""{"username":"valid_name","password":"tulip-marble-canyon-42","extra":1}""", "Unknown field 'extra'")]
    [InlineData("""{"username":"valid_name","password":12345678901}""", "wrong type")]
    public async Task Invalid_registrations_answer_400_saying_what_is_wrong(string body, string expected)
    {
        using var response = await _client.PostRawAsync("/api/v1/accounts", body);
        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(expected, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Passwords_and_display_names_at_their_length_limits_are_accepted_and_beyond_refused()
    {
        using var longest = await _client.RegisterAsync(Api.NewUsername(), new string('p', 127) + "q", new string('d', 64));
        using var tooLongPassword = await _client.RegisterAsync(Api.NewUsername(), new string('p', 129));
        using var tooLongName = await _client.RegisterAsync(Api.NewUsername(), Api.Password, new string('d', 65));
        using var emojiName = await _client.RegisterAsync(Api.NewUsername(), Api.Password, string.Concat(Enumerable.Repeat("😀", 64)));

        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
        Assert.Contains("at most 128", (await Api.ReadProblemAsync(tooLongPassword, HttpStatusCode.BadRequest)).Detail, StringComparison.Ordinal);
        Assert.Contains("at most 64", (await Api.ReadProblemAsync(tooLongName, HttpStatusCode.BadRequest)).Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, emojiName.StatusCode); // 64 characters, 128 UTF-16 code units
    }

    [Fact]
    public async Task Usernames_of_3_and_32_characters_are_accepted()
    {
        var suffix = Guid.NewGuid().ToString("N");
        using var shortest = await _client.RegisterAsync($"{suffix[..3]}");
        using var longest = await _client.RegisterAsync($"u_{suffix}"[..32]);
        Assert.True(shortest.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await shortest.TextAsync()); // 3 hex digits may repeat
        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
    }
}
