using Microsoft.Extensions.Logging.Console;
using SaasOnboarding.Api.Audit;
using SaasOnboarding.Api.Auth;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Identity.Local;
using SaasOnboarding.Api.Orders;
using SaasOnboarding.Api.Products;
using SaasOnboarding.Api.Registration;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;
using SaasOnboarding.Api.Tenants;
using SaasOnboarding.Api.Users;
using SaasOnboarding.Api.Webhooks;

// The slim builder leaves out what this app does not use (HTTPS endpoints, QUIC, IIS, regex route constraints,
// hosting startup assemblies), all of which would cost start-up time. Its console logger is fixed to the
// simple format; the setting Logging:Console:FormatterName chooses again (Lambda's logs use json).
// Settings files are read once, not watched: setting up the watch walked the content root (wwwroot and its folders)
// at every start. A changed file, log levels included, takes effect at the next start;
// --hostBuilder:reloadConfigOnChange=true on the command line turns watching back on.
var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false", .. ContentRoot.HostArguments(args), .. MigrateCommand.HostArguments(args)]);
builder.Services.Configure<ConsoleLoggerOptions>(builder.Configuration.GetSection("Logging:Console"));

builder.Services.AddSingleton(TimeProvider.System);
builder.AddTelemetry();
builder.AddApiJson();
builder.AddApiErrors();
builder.AddStorage();
builder.AddIdentityProvider();
builder.AddTenancy();
builder.AddApiSecurity();
builder.AddRegistration();
builder.AddOffboarding();
builder.AddAudit();
builder.AddWebhooks();
builder.AddRateLimits();
builder.AddHealth();
builder.AddApiDocs();
builder.AddBrowserPages();
builder.AddPrebuiltStartupOptions();

var app = builder.Build();
if (MigrateCommand.IsRequested(args))
{
    // `migrate`: every schema to the latest version, then exit; the web host never starts (docs/schema-changes.md).
    return await MigrateCommand.RunAsync(app.Services, Console.Out, CancellationToken.None);
}


app.UsePublicAddress();
app.UseApiErrors();
app.UseStartupGate();
app.UseAuditTrail();
app.UseRequestSizeLimit();
app.UseSwaggerPages();
app.UseBrowserPages();
app.UseAuthentication();
app.UseTenantResolution();
app.UseAuthorization();
app.UseRateLimiter();

app.MapHealth();
app.MapApiDocs();
app.MapAuthApi();
app.MapMfaApi();
app.MapRegistrationApi();
app.MapTenantsApi();
app.MapOffboardingApi();
app.MapExportApi();
app.MapUsersApi();
app.MapProductsApi();
app.MapOrdersApi();
app.MapAuditApi();
app.MapWebhooksApi();
app.MapLambdaEvents();

if (app.Configuration.UsesLocalIdentity())
{
    app.MapLocalIdentityApi(app.Environment);
}

app.LogStartupBanner();
app.Run();
return 0;

/// <summary>The entry point, public so that tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
