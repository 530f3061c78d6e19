namespace Atrium.Accounts.Domain;

/// <summary>
/// Passwords refused at registration because attackers try them first: the entries of at least
/// <see cref="PasswordRules.MinLength"/> characters that recur in public lists of leaked passwords
/// (keyboard walks, digit runs, "password" and "welcome" with digits, popular words with digits), and a few
/// naming this service. Shorter ones need no entry: the length rule already refuses them. The check is
/// case-insensitive, so "Password123" and "PASSWORD123" are refused with "password123".
/// </summary>
internal static class CommonPasswords
{
    private static readonly string[] Entries =
    [
        "1234567890", "0123456789", "0987654321", "9876543210", "1234512345", "1234554321", "12345678910",
        "123456789012", "1234567891", "1234567899", "1234567809", "0000000000", "1111111111", "2222222222",
        "3333333333", "4444444444", "5555555555", "6666666666", "7777777777", "8888888888", "9999999999", "1212121212",
        "1231231231", "123123123123", "1122334455", "1122334455667788", "0102030405", "1020304050", "1357924680",
        "2468013579", "1029384756", "147258369147", "1472583690", "7894561230", "9638527410", "1598753210",
        "123456789a", "a123456789", "1234567890a", "a1234567890", "1234567890q", "123456789q", "q123456789",
        "123456789z", "123456789abc", "abc1234567", "abc123456789", "abcd123456", "abcd1234567", "abcde12345",
        "abcdef123456", "abcdefghij", "abcdefghijk", "abcdefghijkl", "abcdefghijklmnop", "abcdefghijklmnopqrstuvwxyz",
        "a1b2c3d4e5", "a1b2c3d4e5f6", "aaaaaaaaaa", "qqqqqqqqqq", "zzzzzzzzzz", "xxxxxxxxxx", "qwertyuiop",
        "qwertyuiop123", "qwertyuiop1", "qwertyuiopasdfghjkl", "qwerty1234", "qwerty12345", "qwerty123456",
        "qwerty123456789", "qwerty1234567890", "qwertyqwerty", "qwertyuiop[]", "1234qwerty", "12345qwerty",
        "123456qwerty", "qwertyasdf", "qwertyasdfgh", "qwertyasdfghjkl", "qwerasdfzxcv", "qweasdzxc123",
        "123qweasdzxc", "qweasdzxc1", "qazwsxedcrfv", "qazwsxedc123", "qazwsxedcrfvtgb", "1qaz2wsx3edc",
        "1qaz2wsx3edc4rfv", "1qazxsw23edc", "1qaz@wsx3edc", "1qaz!qaz2wsx", "zaq12wsxcde3", "zaq1xsw2cde3",
        "!qaz2wsx#edc", "1q2w3e4r5t", "1q2w3e4r5t6y", "1q2w3e4r5t6y7u", "q1w2e3r4t5", "q1w2e3r4t5y6",
        "1q2w3e4r5t6y7u8i9o0p", "q1w2e3r4t5y6u7i8o9p0", "asdfghjkl1", "asdfghjkl123", "asdfghjkl;", "asdf123456",
        "asdf1234567", "asdfasdfasdf", "asdfgh1234", "asdfg12345", "asdfjkl;asdfjkl;", "zxcvbnm123", "zxcvbnm1234",
        "zxcvbnmasdfghjkl", "1234567890qwertyuiop", "1234qwerasdfzxcv", "mnbvcxzlkjhgfdsa", "poiuytrewq",
        "0987654321poiuytrewq", "ytrewq654321", "password12", "password123", "password1234", "password12345",
        "password123456", "password123456789", "password01", "password11", "password99", "password00", "password2019",
        "password2020", "password2021", "password2022", "password2023", "password2024", "password2025", "password2026",
        "password123!", "password1!", "password!!", "password!!!", "password@123", "password#1", "passwordpassword",
        "password1password", "passw0rd123", "passw0rd12", "p@ssw0rd123", "p@ssw0rd12", "p@ssword123", "pa55word123",
        "pa$$word123", "p4ssw0rd123", "mypassword", "mypassword1", "mypassword123", "newpassword", "newpassword1",
        "newpassword123", "oldpassword", "secretpassword", "supersecret", "supersecret1", "topsecret123", "verysecret",
        "changeme123", "changeme12", "changemenow", "changeit123", "default123", "letmein123", "letmein1234",
        "letmeinnow", "letmein12345", "welcome123", "welcome1234", "welcome12345", "welcome2024", "welcome2025",
        "welcome2026", "iloveyou12", "iloveyou123", "iloveyou1234", "iloveyou11", "iloveyou!!", "iloveyoubaby",
        "iloveyouso", "iloveyou22", "iloveu1234", "loveyou123", "lovelovelove", "ihateyou12", "ihateyou123",
        "administrator", "administrator1", "admin12345", "admin123456", "admin1234567", "adminadmin", "adminadmin123",
        "root123456", "rootpassword", "superuser1", "trustno1234", "trustnoone", "opensesame", "opensesame1",
        "qwerty123!", "football12", "football123", "football1234", "baseball12", "baseball123", "basketball",
        "basketball1", "basketball123", "volleyball", "volleyball1", "soccer1234", "hockey1234", "superman12",
        "superman123", "batman1234", "spiderman1", "spiderman123", "starwars12", "starwars123", "princess12",
        "princess123", "sunshine12", "sunshine123", "michael123", "jennifer12", "jordan2323", "jordan1234",
        "charlie123", "master1234", "master12345", "dragon1234", "monkey1234", "shadow1234", "whatever12",
        "whatever123", "computer12", "computer123", "internet123", "chocolate1", "chocolate123", "strawberry",
        "strawberry1", "pineapple1", "watermelon", "blackberry", "butterfly1", "butterfly123", "sweetheart",
        "sweetheart1", "friendship", "friendship1", "happiness1", "everything", "everything1", "motherfucker",
        "fuckyoubitch", "fuckyou123", "elizabeth1", "christopher", "christopher1", "alexander1", "alexandra1",
        "jessica123", "jasmine123", "nicole1234", "michelle12", "samantha12", "victoria12", "minecraft1",
        "minecraft123", "pokemon123", "pokemon1234", "spongebob1", "playstation", "playstation1", "playstation2",
        "playstation3", "playstation4", "nintendo64", "microsoft1", "skateboard", "snowboarding", "thunderbird",
        "jesuschrist", "jesus12345", "godisgood1", "blessed123", "manchester", "manchester1", "manchesterunited",
        "liverpool1", "liverpool123", "arsenal123", "chelsea123", "barcelona1", "realmadrid", "realmadrid1",
        "juventus123", "dallascowboys", "yankees123", "cowboys123", "steelers12", "mustang123", "ferrari123",
        "babygirl12", "babygirl123", "sweetie123", "daniel1234", "matthew123", "anthony123", "qwer123456",
        "zaq12wsx34", "abc123abc123", "abcabcabc1", "123abc123abc", "a1s2d3f4g5", "z1x2c3v4b5", "1a2b3c4d5e",
        "q1q1q1q1q1", "1q1q1q1q1q", "a1a1a1a1a1", "aa12345678", "zaq!2wsx3edc", "123456abcdef", "11111111111",
        "111111111111", "00000000000", "12121212121", "1234567890123", "12345678901", "123321123321", "123454321a",
        "121212qwqw", "987654321a", "9876543210a", "azertyuiop", "azerty1234", "azerty123456", "qwertzuiop",
        "qwertz1234", "iloveyou1234567", "computador", "contrasena", "contrasena123", "motdepasse", "passwort123",
        "passwort1234", "wachtwoord", "salasana123", "haslo12345", "parola1234", "senha12345", "senha123456",
        "atrium1234", "atriumpassword",
    ];

    private static readonly HashSet<string> Set = new(Entries, StringComparer.OrdinalIgnoreCase);

    public static int Count => Set.Count;

    public static IReadOnlyList<string> All => Entries;

    public static bool Contains(string password) => Set.Contains(password);
}
