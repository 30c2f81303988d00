namespace SaasOnboarding.Api.Paging;

/// <summary>One page of a listing as the API answers it; <c>nextToken</c> is null on the last page.</summary>
public sealed record PageResponse<T>(IReadOnlyList<T> Items, string? NextToken);

/// <summary>The <c>limit</c> and <c>nextToken</c> query parameters that every listing takes.</summary>
public static class ListPaging
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>The page size to use, or a field error for <c>limit</c> when it is out of range.</summary>
    public static int Limit(int? limit, Dictionary<string, string[]> errors)
    {
        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"The limit must be between 1 and {MaxLimit}."];
        }

        return limit ?? DefaultLimit;
    }
}
