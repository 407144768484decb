namespace ProcurementBot.Http;

/// <summary>How logs name a request: by its route's template, since a path can hold personal data (<c>/people/{email}</c>).</summary>
public static class RequestLog
{
    public static string RouteOf(HttpContext http) =>
        (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
}
