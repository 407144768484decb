namespace ProcurementBot.Escalations;

public enum EscalationVerb
{
    Acknowledge,
    AssignToMe,
    Resolve,
    Reopen,
}
