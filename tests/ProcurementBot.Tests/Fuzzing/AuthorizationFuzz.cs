namespace ProcurementBot.Tests.Fuzzing;

/// <summary>Malformed Authorization headers made from a valid token: cut, flipped, re-encoded, with odd schemes and parts.</summary>
public static class AuthorizationFuzz
{
    public static string Header(MalformedInputs inputs, string validToken)
    {
        // A token that is not a JWT (Direct Line's) gets parts of its own, so every case below applies to it as well.
        var parts = validToken.Split('.') is { Length: >= 3 } split ? split : [validToken, validToken, validToken];
        var token = inputs.Next(11) switch
        {
            0 => "not.a.jwt",
            1 => validToken[..inputs.Next(validToken.Length)],
            2 => string.Join('.', parts[0], parts[1]),
            3 => string.Join('.', parts[0], parts[1], parts[2], parts[2]),
            4 => string.Join('.', B64("{\"alg\":\"none\",\"typ\":\"JWT\"}"), parts[1], ""),
            5 => string.Join('.', B64("{\"alg\":\"RS256\",\"kid\":" + inputs.Pick(["1e400", "[]", "{}", "null", "\"\\ud800\""]) + "}"), parts[1], parts[2]),
            6 => string.Join('.', parts[0], B64("{\"exp\":\"" + inputs.Text("2026-03-01") + "\",\"iss\":1,\"aud\":[]}"), parts[2]),
            7 => string.Join('.', B64("not json"), B64("{"), "!!!"),
            8 => Flip(inputs, validToken),
            9 => new string('a', 20_000) + "." + new string('b', 10) + ".c",
            _ => string.Join('.', Enumerable.Range(0, 3).Select(_ => Convert.ToBase64String(inputs.Junk(40)))),
        };
        return inputs.Next(6) switch
        {
            0 => token,
            1 => "Basic " + token,
            2 => "Bearer  " + token + " extra",
            3 => "bearer " + token,
            _ => "Bearer " + token,
        };
    }

    /// <summary>A malformed token is refused like any wrong one: 401 with WWW-Authenticate.</summary>
    public static void AssertRefused(HttpResponseMessage response, FuzzCase fuzz)
    {
        if ((int)response.StatusCode < 500)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized && response.Headers.WwwAuthenticate.Count > 0,
                $"Authorization '{Short(fuzz.What)}' (replay with {FuzzSeed.Variable}={FuzzSeed.Value}) got {(int)response.StatusCode}, WWW-Authenticate '{response.Headers.WwwAuthenticate}'.");
        }
    }

    private static string Short(string text) => text.Length > 120 ? text[..120] + "…" : text;

    private static string B64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Flip(MalformedInputs inputs, string token)
    {
        var chars = token.ToCharArray();
        for (var i = 0; i < 1 + inputs.Next(3); i++)
        {
            // Never a base64url character: a changed last character of a segment can decode to the same bytes.
            chars[inputs.Next(chars.Length)] = inputs.Pick(['!', '*', '$', '~', '@', '#', ' ', '"']);
        }

        return new string(chars);
    }
}
