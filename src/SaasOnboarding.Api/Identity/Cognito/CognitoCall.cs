namespace SaasOnboarding.Api.Identity.Cognito;

/// <summary>How a call is made: signed or not, and whether it may be retried.</summary>
internal enum CognitoCall
{
    /// <summary>A signed admin write: never retried, since a retry after a lost answer could act twice.</summary>
    AdminWrite,

    /// <summary>A signed admin read: retried with backoff when throttled or when Cognito fails.</summary>
    AdminRead,

    /// <summary>An unsigned call with the app client id (the sign-in flows).</summary>
    Public,
}
