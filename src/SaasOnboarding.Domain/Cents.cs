namespace SaasOnboarding.Domain;

/// <summary>Money is exact to the cent: stores that keep integers keep cents, and a price is never rounded.</summary>
public static class Cents
{
    public static long Of(decimal price)
    {
        var cents = price * 100m;
        // Stryker disable once String : the message is for a developer; callers check the price first (PriceProblem).
        return price >= 0 && cents == decimal.Truncate(cents) && cents <= long.MaxValue
            ? decimal.ToInt64(cents)
            : throw new ArgumentOutOfRangeException(nameof(price), price, "A price is zero or more, with at most two decimal places.");
    }

    /// <summary>Multiplying by 0.01m keeps a scale of two, so 1050 cents reads back as 10.50, not 10.5.</summary>
    public static decimal ToPrice(long cents) => cents * 0.01m;
}
