namespace SaasOnboarding.Api.Storage;

/// <summary>One page of a listing; <see cref="NextToken"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextToken);
