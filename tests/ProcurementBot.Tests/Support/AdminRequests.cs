using System.Net.Http.Headers;

namespace ProcurementBot.Tests.Support;

/// <summary>A call to an /api/admin route as an admin tool makes it: an API key, a bearer token, or neither.</summary>
public static class AdminRequests
{
    /// <summary>
    /// Sends <paramref name="body"/> as is when it is <see cref="HttpContent"/> (raw or malformed bodies), else as JSON.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient client, HttpMethod method, string path, string? key, string? bearer = null, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = body switch
            {
                null => null,
                HttpContent content => content,
                _ => JsonContent.Create(body),
            },
        };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await client.SendAsync(request);
    }
}
