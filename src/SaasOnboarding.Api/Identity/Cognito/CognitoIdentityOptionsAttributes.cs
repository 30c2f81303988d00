using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Identity.Cognito;

/// <summary>The attributes of <see cref="CognitoIdentityOptions"/>, checked by generated code: no reflection at start-up.</summary>
[OptionsValidator]
internal sealed partial class CognitoIdentityOptionsAttributes : IValidateOptions<CognitoIdentityOptions>;
