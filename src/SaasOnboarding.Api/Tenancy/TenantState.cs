namespace SaasOnboarding.Api.Tenancy;

public sealed record TenantState(TenantStatus Status, string Tier);
