using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Hosting;

public static class CheckedOptions
{
    /// <summary>
    /// Settings bound from <paramref name="section"/> and checked at start by <typeparamref name="TValidator"/>
    /// (generated with [OptionsValidator] for attributes: no reflection at start-up, docs/performance.md). A wrong
    /// setting stops the app at start with a message naming it.
    /// </summary>
    internal static IServiceCollection AddCheckedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services;
    }
}
