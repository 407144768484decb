namespace ProcurementBot.Tests.LocalMode;

/// <summary>Requests that reach the bot from outside this machine, or through something on it: each must be refused local-only things.</summary>
public static class Origins
{
    /// <summary>name → (remote address, Host header, extra header "Name: value" or "")</summary>
    public static TheoryData<string, string?, string?, string> NotDirectlyLocal => new()
    {
        { "another machine (IPv4)", "203.0.113.7", null, "" },
        { "another machine (IPv6)", "2001:db8::7", null, "" },
        { "a dev tunnel (public Host)", null, "k8x2m4-3978.euw.devtunnels.ms", "" },
        { "a DNS-rebinding page (attacker's Host)", null, "rebind.attacker.example:3978", "" },
        { "a proxy on loopback (X-Forwarded-For)", null, null, "X-Forwarded-For: 203.0.113.7" },
        { "a dev tunnel on loopback (X-Forwarded-Host)", null, null, "X-Forwarded-Host: k8x2m4-3978.euw.devtunnels.ms" },
        { "a proxy on loopback (Forwarded)", null, null, "Forwarded: for=203.0.113.7;proto=https" },
        { "a proxy on loopback (X-Original-Host)", null, null, "X-Original-Host: bot.contoso.com" },
        { "ngrok on loopback (X-Forwarded-Proto)", null, null, "X-Forwarded-Proto: https" },
    };

    /// <summary>name → (remote address, Host header): requests made on this machine, straight to the bot.</summary>
    public static TheoryData<string, string?, string?> DirectlyLocal => new()
    {
        { "the test server (no remote address), Host localhost", null, null },
        { "127.0.0.1 to 127.0.0.1:3978", "127.0.0.1", "127.0.0.1:3978" },
        { "::1 to [::1]:3978", "::1", "[::1]:3978" },
        { "127.0.0.1 to localhost:3978", "127.0.0.1", "localhost:3978" },
    };

    public static (string Name, string Value)[] Headers(string header) =>
        header.Length == 0 ? [] : [(header[..header.IndexOf(':', StringComparison.Ordinal)], header[(header.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())];
}
