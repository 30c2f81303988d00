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

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton(TimeProvider.System);
builder.AddApiJson();
builder.AddApiErrors();
builder.AddStorage();
builder.AddIdentityProvider();
builder.AddTenancy();
builder.AddApiSecurity();
builder.AddRegistration();
builder.AddRateLimits();
builder.AddHealth();
builder.AddApiDocs();

var app = builder.Build();

app.UseApiErrors();
app.UseRequestSizeLimit();
app.UseSwaggerPages();
app.UseAuthentication();
app.UseTenantResolution();
app.UseAuthorization();
app.UseRateLimiter();

app.MapHealth();
app.MapApiDocs();
app.MapAuthApi();
app.MapRegistrationApi();
app.MapTenantsApi();
app.MapUsersApi();
app.MapProductsApi();
app.MapOrdersApi();
if (app.Configuration.UsesLocalIdentity())
{
    app.MapLocalIdentityApi();
}

app.LogStartupBanner();
app.Run();

/// <summary>The entry point, public so that tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
