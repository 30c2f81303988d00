using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;

var builder = WebApplication.CreateBuilder(args);

builder.AddStorage();
builder.Services.AddScoped<TenantContext>();

var app = builder.Build();

app.MapGet("/health", () => TypedResults.Ok(new { status = "Healthy" }));

app.Run();

/// <summary>The entry point, public so that tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
