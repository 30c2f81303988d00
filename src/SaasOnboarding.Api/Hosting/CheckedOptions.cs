using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Hosting;

public static class CheckedOptions
{
    /// <summary>
    /// Settings checked at start by <typeparamref name="TValidator"/> (generated with [OptionsValidator] for
    /// attributes: no reflection at start-up); a wrong setting stops the app at start with a
    /// message naming it. The caller binds them (<c>.BindConfiguration(Section)</c>) where the type is named, so that
    /// the configuration-binding generator writes that binding at build time instead of reflection at start.
    /// The annotations keep the validator's constructor in a trimmed (Native AOT) build, where DI builds it.
    /// </summary>
    internal static OptionsBuilder<TOptions> AddCheckedOptions<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this IServiceCollection services)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services.AddPrebuiltOptions<TOptions>().AddOptions<TOptions>().ValidateOnStart();
    }

    /// <summary>
    /// A duration setting between <paramref name="minimum"/> and <paramref name="maximum"/>, checked at start with a
    /// message naming <paramref name="setting"/>. (DataAnnotations' <c>[Range(typeof(TimeSpan), …)]</c> converts its
    /// bounds by reflection, which a trimmed build cannot keep.)
    /// </summary>
    internal static OptionsBuilder<TOptions> ValidateDuration<TOptions>(
        this OptionsBuilder<TOptions> options, string setting, Func<TOptions, TimeSpan> value, TimeSpan minimum, TimeSpan maximum)
        where TOptions : class =>
        options.Validate(
            settings => value(settings) >= minimum && value(settings) <= maximum,
            string.Create(CultureInfo.InvariantCulture, $"{setting} must be between {minimum:c} and {maximum:c}."));
}
