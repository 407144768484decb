using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ProcurementBot.Http;

/// <summary>
/// The one mapping from malformed input to a response, for every endpoint: a <see cref="MalformedInputException"/>
/// (thrown by the readers in this folder) or ASP.NET Core's own <see cref="BadHttpRequestException"/> (a form or
/// parameter it could not bind) becomes a 400 ProblemDetails saying what is wrong, never a 500.
/// </summary>
internal sealed class MalformedInputHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            MalformedInputException malformed => (StatusCodes.Status400BadRequest, malformed.Title, malformed.Message),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            _ => (0, "", ""),
        };
        if (status == 0)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
