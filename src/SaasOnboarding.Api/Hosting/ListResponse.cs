using System.Text.Json.Serialization;

namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// A page of a list as the API answers it. <c>total</c>, how many items match in all pages, is answered by
/// the lists that count (the tenants list) and left out by the others.
/// </summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Items, string? NextToken, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Total = null);
