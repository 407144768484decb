using System.Security.Cryptography;
using System.Text;

namespace ProcurementBot.People;

/// <summary>
/// How logs name a person known only by email (a requester who has not installed the bot yet): a keyed hash, never
/// the address. The key is made when the process starts and never stored, so a line can be matched with the other
/// lines of the same run but the address cannot be guessed back from it (a plain hash of an email can, by hashing
/// candidates); across runs, lines are joined by the check-in or purchase id logged beside it.
/// </summary>
public static class LoggedPerson
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    public static string Of(string email) =>
        "email:" + Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())))[..16];
}
