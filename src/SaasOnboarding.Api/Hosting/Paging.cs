namespace SaasOnboarding.Api.Hosting;

/// <summary>The <c>limit</c> and <c>nextToken</c> query parameters of every list.</summary>
public static class Paging
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

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
