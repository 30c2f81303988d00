using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Hosting;

public static class CheckedOptions
{
    /// <summary>
    /// Settings checked at start by <typeparamref name="TValidator"/> (generated with [OptionsValidator] for
    /// attributes: no reflection at start-up); a wrong setting stops the app at start with a
    /// message naming it. The caller binds them (<c>.BindConfiguration(Section)</c>) where the type is named, so that
    /// the configuration-binding generator writes that binding at build time instead of reflection at start.
    /// </summary>
    internal static OptionsBuilder<TOptions> AddCheckedOptions<TOptions, TValidator>(this IServiceCollection services)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services.AddOptions<TOptions>().ValidateOnStart();
    }
}
