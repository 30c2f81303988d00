namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>A successful answer: the decoded data and the transaction time it was read or written at.</summary>
public sealed record FaunaResponse(object? Data, long TxnTs, string? QueryTags);
