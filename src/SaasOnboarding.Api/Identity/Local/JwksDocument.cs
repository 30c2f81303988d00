namespace SaasOnboarding.Api.Identity.Local;

public sealed record JwksDocument(object[] Keys);
