using ProcurementBot.Slack;

namespace ProcurementBot.Tests.Slack;

/// <summary>Request signing, checked against the example on Slack's "Verifying requests from Slack" page.</summary>
public sealed class SlackSignatureTests
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string Timestamp = "1531420618";
    private const string Signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar"
        + "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com"
        + "%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");

    // The example is from 2018: the check runs on a clock pinned to it.
    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1531420618);

    [Fact]
    public void Slacks_documented_example_signs_and_verifies()
    {
        Assert.Equal(Signature, SlackSignature.Sign(Secret, Timestamp, Body));
        Assert.Null(SlackSignature.Check(Secret, Timestamp, Signature, Body, SignedAt.AddSeconds(30)));
    }

    public static TheoryData<string, string?, string?, int> Refused => new()
    {
        // why, timestamp, signature, seconds after signing
        { "a forged signature", Timestamp, "v0=" + new string('0', 64), 0 },
        { "no signature", Timestamp, null, 0 },
        { "no timestamp", null, Signature, 0 },
        { "a timestamp that is not a number", "15314206l8", Signature, 0 },
        { "six minutes old", Timestamp, Signature, 360 },
        { "six minutes in the future", Timestamp, Signature, -360 },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_request_is_refused_with(string why, string? timestamp, string? signature, int secondsLater)
    {
        Assert.NotNull(SlackSignature.Check(Secret, timestamp, signature, Body, SignedAt.AddSeconds(secondsLater)));
        Assert.NotEmpty(why);
    }

    [Fact]
    public void The_signature_of_one_body_does_not_pass_for_another() =>
        Assert.NotNull(SlackSignature.Check(Secret, Timestamp, Signature, Encoding.UTF8.GetBytes("token=xyzz0WbapA4vBCDEFasx0q6G&text=hello"), SignedAt));
}
