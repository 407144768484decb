namespace ProcurementBot.Rollups;

/// <summary>One supplier's or category's figures over the period.</summary>
public sealed record ResultLine(
    string Name, int Sent, int Responses, int Expired, double? ResponseRate, int Ratings, double? Csat, double? AverageRating,
    int NpsAnswers, double? Nps, int OnTimeAnswers, double? OnTimeRate, EscalationCounts Escalations);
