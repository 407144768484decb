using ProcurementBot.Admin;
using ProcurementBot.BotFramework;
using ProcurementBot.BotFramework.Authentication;
using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.Hosting;
using ProcurementBot.Http;
using ProcurementBot.Purchases;
using ProcurementBot.QuestionSets;
using ProcurementBot.Rollups;
using ProcurementBot.Slack;
using ProcurementBot.Storage;
using ProcurementBot.Tenants;
using ProcurementBot.TryIt;

var builder = WebApplication.CreateBuilder(args);
// The sideload steps run as Production with the app's password and keys in user secrets.
builder.AddUserSecretsInEveryEnvironment();

builder.Services.AddRequestErrors(); // ProblemDetails; malformed input of any endpoint is a 400, never a 500
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddStorage(builder.Configuration, builder.Environment);
builder.Services.AddQuestionSets();
builder.Services.AddCheckIns();
builder.Services.AddEscalations();
builder.Services.AddQuestionSetAdmin();
builder.Services.AddResults(); // CSAT/NPS rollups per supplier and category, kept as check-ins finish

// Inbound tokens and outbound app tokens; with MicrosoftAppId empty, local unauthenticated mode.
builder.Services.AddBotFrameworkAuthentication(builder.Configuration, builder.Environment);
builder.Services.AddBotFramework();
builder.Services.AddSlack();
builder.Services.AddTenants(); // which Entra tenants and Slack teams are served; everyone else changes nothing
builder.Services.AddTryIt(builder.Configuration, builder.Environment); // the local chat page; Development only by default

// /api/admin: API keys or Entra ID bearer tokens, and the audit log of admin changes.
builder.Services.AddAdmin(builder.Configuration);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

// Schema migrations and seeded question sets before the first request.
await app.InitializeStoreAsync();

app.MapHealth();
app.MapBotFramework();
app.MapSlack(); // 503 until Slack:SigningSecret and Slack:BotToken are set
app.MapPurchases();
app.MapTryIt(); // GET / and /v3/directline; 404 when TryIt:Enabled is false

// Everything under /api/admin takes an admin key or an Entra ID token with the admin role.
var admin = app.MapAdmin();
admin.MapQuestionSets();
admin.MapResults();
admin.MapCheckIns();

app.Run();

public partial class Program;
