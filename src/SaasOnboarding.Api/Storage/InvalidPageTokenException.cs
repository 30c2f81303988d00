namespace SaasOnboarding.Api.Storage;

/// <summary>A page token that a client sent back is not one this service issued.</summary>
public sealed class InvalidPageTokenException() : Exception("The nextToken is not valid.");
