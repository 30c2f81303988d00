namespace SaasOnboarding.Api.Hosting;

/// <summary>The <c>limit</c> and <c>nextToken</c> query parameters of every list, and the length of a list's <c>search</c>.</summary>
public static class Paging
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxSearchLength = 200;

    public static int? Limit(int? limit, FieldErrors errors)
    {
        if (limit is null)
        {
            return DefaultLimit;
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"Must be between 1 and {MaxLimit}.");
            return null;
        }

        return limit;
    }
}
