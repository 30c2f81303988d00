namespace SaasOnboarding.Api.Storage;

/// <summary>Which tenant a tenant-pool user belongs to, and whether its tokens are honoured.</summary>
public sealed record TenantUserMapping(string TenantId, string UserName, bool Enabled);
