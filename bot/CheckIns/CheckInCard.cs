using ProcurementBot.Purchases;

namespace ProcurementBot.CheckIns;

public sealed record CheckInCard(
    string CheckInId,
    string Greeting,
    Purchase Purchase,
    IReadOnlyList<CardQuestion> Questions)
{
    /// <summary>Questions already answered, as they read back, for channels that show them on the updated card.</summary>
    public IReadOnlyList<(string Question, string Answer)> Answered { get; init; } = [];
}
