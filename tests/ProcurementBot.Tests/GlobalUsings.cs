// What nearly every test file uses; feature namespaces stay explicit in each file, so a test shows what it reaches into.
global using System.Net;
global using System.Net.Http.Json;
global using System.Text;
global using System.Text.Json.Nodes;
global using Microsoft.AspNetCore.Builder;
global using Microsoft.AspNetCore.Hosting;
global using Microsoft.AspNetCore.Http;
global using Microsoft.AspNetCore.Routing;
global using Microsoft.Extensions.Configuration;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.Logging;
global using ProcurementBot.Tests.Support;
