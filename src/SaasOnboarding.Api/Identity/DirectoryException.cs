namespace SaasOnboarding.Api.Identity;

/// <summary>An identity provider refused or failed an operation.</summary>
public sealed class DirectoryException(DirectoryError error, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public DirectoryError Error { get; } = error;
}
