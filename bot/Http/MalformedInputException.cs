namespace ProcurementBot.Http;

/// <summary>
/// Input a client sent that cannot be used as it is: a body that is not what the endpoint reads, a parameter out of
/// range. Thrown where input enters and answered as a 400 ProblemDetails by <see cref="MalformedInputHandler"/> (or
/// by <see cref="ToProblem"/> where an endpoint answers itself), so no malformed input reaches deeper code.
/// </summary>
public sealed class MalformedInputException(string title, string detail, Exception? inner = null) : Exception(detail, inner)
{
    public string Title { get; } = title;

    public IResult ToProblem() => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: Title, detail: Message);
}
