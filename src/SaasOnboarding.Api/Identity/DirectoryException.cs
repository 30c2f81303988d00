namespace SaasOnboarding.Api.Identity;

/// <summary>An identity provider refused or failed an operation.</summary>
public sealed class DirectoryException(DirectoryError error, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public DirectoryError Error { get; } = error;

    /// <summary>
    /// A sign-in refused because the user is disabled, known only after its password was found right (the local
    /// identity provider; Cognito's answer does not say whether the password was right).
    /// </summary>
    public bool DisabledAfterRightPassword { get; init; }
}
