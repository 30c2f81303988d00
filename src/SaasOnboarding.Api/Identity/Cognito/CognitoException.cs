using System.Net;

namespace SaasOnboarding.Api.Identity.Cognito;

/// <summary>The Cognito error behind a <see cref="DirectoryException"/>, for logs and tests.</summary>
public sealed class CognitoException(string errorType, HttpStatusCode? statusCode)
    : Exception($"Cognito answered {errorType} ({(statusCode is { } status ? (int)status : "no answer")}).")
{
    public string ErrorType { get; } = errorType;

    public HttpStatusCode? StatusCode { get; } = statusCode;
}
