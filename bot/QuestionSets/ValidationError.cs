namespace ProcurementBot.QuestionSets;

/// <summary>A problem with a question set: where (a JSON pointer) and what, in a sentence.</summary>
public sealed record ValidationError(string Pointer, string Message)
{
    public override string ToString() => $"{Pointer}: {Message}";
}
