namespace SaasOnboarding.Api.Hosting;

/// <summary>A page of a list as the API answers it.</summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Items, string? NextToken);
