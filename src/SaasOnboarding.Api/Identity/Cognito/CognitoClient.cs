using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Identity.Cognito;

/// <summary>
/// A small client for Amazon Cognito user pools' JSON 1.1 API, because the AWSSDK.CognitoIdentityProvider package
/// cannot be restored here. HttpClients come from IHttpClientFactory per call (pooled handlers, so a singleton
/// does not pin one connection's DNS answer); admin calls are SigV4-signed.
/// Bodies are never logged: they carry passwords, sessions and tokens.
/// </summary>
public sealed class CognitoClient(
    IHttpClientFactory httpClients,
    IOptions<CognitoIdentityOptions> options,
    CognitoRequestSigner signer,
    TimeProvider time,
    ILogger<CognitoClient> logger)
{
    public const string HttpClientName = "cognito-idp";
    private const string TargetPrefix = "AWSCognitoIdentityProviderService.";
    private static readonly MediaTypeHeaderValue AmzJson = new("application/x-amz-json-1.1");

    private readonly CognitoIdentityOptions _options = options.Value;

    internal async Task<TResponse> SendAsync<TResponse>(string operation, object request, CognitoCall call, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, request.GetType(), CognitoJson.Default);
        var retries = call == CognitoCall.AdminRead ? _options.ReadRetries : 0;
        for (var attempt = 0; ; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            CognitoFailure failure;
            try
            {
                using var message = await CreateRequestAsync(operation, body, call, cancellationToken);
                using var response = await httpClients.CreateClient(HttpClientName).SendAsync(message, cancellationToken);
                var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    logger.LogDebug(
                        "Cognito {Operation} answered {StatusCode} in {ElapsedMilliseconds} ms",
                        operation,
                        (int)response.StatusCode,
                        Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    return Deserialize<TResponse>(operation, answer);
                }

                failure = CognitoFailure.From(response.StatusCode, answer);
            }
            catch (HttpRequestException e)
            {
                failure = new CognitoFailure(null, "Transport", e.Message, Retryable: true);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient's own timeout, not the caller giving up.
                failure = new CognitoFailure(null, "Timeout", e.Message, Retryable: true);
            }

            if (failure.Retryable && attempt < retries)
            {
                var delay = Backoff(attempt);
                logger.LogWarning(
                    "Cognito {Operation} failed with {ErrorType} ({StatusCode}); retry {Attempt} of {Retries} in {DelayMilliseconds} ms",
                    operation,
                    failure.Type,
                    failure.StatusCode,
                    attempt + 1,
                    retries,
                    delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken);
                continue;
            }

            var error = failure.ToDirectoryError(operation);
            if (error is DirectoryError.Unavailable or DirectoryError.Throttled)
            {
                logger.LogError(
                    "Cognito {Operation} failed with {ErrorType} ({StatusCode}) after {Attempts} attempt(s)",
                    operation,
                    failure.Type,
                    failure.StatusCode,
                    attempt + 1);
            }
            else
            {
                logger.LogInformation("Cognito {Operation} refused with {ErrorType}", operation, failure.Type);
            }

            throw new DirectoryException(error, failure.Message ?? $"Cognito refused {operation} ({failure.Type}).", new CognitoException(failure.Type, failure.StatusCode));
        }
    }

    private async Task<HttpRequestMessage> CreateRequestAsync(string operation, byte[] body, CognitoCall call, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, _options.Endpoint())
        {
            // Bytes, not StringContent: the signed Content-Type must be exactly this, without a charset.
            Content = new ByteArrayContent(body) { Headers = { ContentType = AmzJson } },
        };
        message.Headers.TryAddWithoutValidation("X-Amz-Target", TargetPrefix + operation);
        if (call != CognitoCall.Public)
        {
            try
            {
                await signer.SignAsync(message, body, cancellationToken);
            }
            catch
            {
                message.Dispose();
                throw;
            }
        }

        return message;
    }

    /// <summary>Exponential backoff with full jitter in the upper half, so that throttled callers spread out.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var ceiling = _options.RetryBaseDelay * Math.Pow(2, attempt);
        return ceiling / 2 + ceiling / 2 * RandomNumberGenerator.GetInt32(1001) / 1000.0;
    }

    private static TResponse Deserialize<TResponse>(string operation, byte[] answer)
    {
        if (typeof(TResponse) == typeof(EmptyResponse))
        {
            return (TResponse)(object)new EmptyResponse();
        }

        try
        {
            return (TResponse?)JsonSerializer.Deserialize(answer, typeof(TResponse), CognitoJson.Default)
                   ?? throw new DirectoryException(DirectoryError.Unavailable, $"Cognito answered {operation} with an empty body.");
        }
        catch (JsonException e)
        {
            throw new DirectoryException(DirectoryError.Unavailable, $"Cognito answered {operation} with a body this adapter cannot read.", e);
        }
    }

    /// <summary>A failed call: the error type after any <c>prefix#</c>, and whether a retry may help.</summary>
    private sealed record CognitoFailure(HttpStatusCode? StatusCode, string Type, string? Message, bool Retryable)
    {
        public static CognitoFailure From(HttpStatusCode status, byte[] answer)
        {
            string? type = null;
            string? message = null;
            try
            {
                using var document = JsonDocument.Parse(answer);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in document.RootElement.EnumerateObject())
                    {
                        if (property.Value.ValueKind != JsonValueKind.String)
                        {
                            continue;
                        }

                        if (property.NameEquals("__type"))
                        {
                            type = property.Value.GetString();
                        }
                        else if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase))
                        {
                            message = property.Value.GetString();
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON (a proxy's error page): the status alone decides.
            }

            type = type?[(type.LastIndexOf('#') + 1)..];
            if (string.IsNullOrEmpty(type))
            {
                type = (int)status >= 500 ? "InternalErrorException" : "HTTP" + (int)status;
            }

            var retryable = type is "TooManyRequestsException" or "ThrottlingException" or "InternalErrorException"
                            || status is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
            return new CognitoFailure(status, type, message, retryable);
        }

        /// <summary>
        /// The error in the directory's terms. <c>LimitExceededException</c> is a quota only for <c>CreateGroup</c>
        /// (the pool's 10,000 groups); the sign-in and recovery flows answer it for too many attempts.
        /// </summary>
        public DirectoryError ToDirectoryError(string operation) => Type switch
        {
            "LimitExceededException" when operation == "CreateGroup" => DirectoryError.LimitExceeded,
            "UsernameExistsException" or "AliasExistsException" => DirectoryError.UserExists,
            "UserNotFoundException" => DirectoryError.UserNotFound,
            "GroupExistsException" => DirectoryError.GroupExists,
            "ResourceNotFoundException" => DirectoryError.GroupNotFound,
            "NotAuthorizedException" or "UserNotConfirmedException" or "PasswordResetRequiredException"
                or "CodeMismatchException" or "ExpiredCodeException" or "TooManyFailedAttemptsException"
                or "EnableSoftwareTokenMFAException" => DirectoryError.NotAuthorized,
            "InvalidPasswordException" => DirectoryError.InvalidPassword,
            "InvalidParameterException" => DirectoryError.InvalidParameter,
            "TooManyRequestsException" or "ThrottlingException" or "LimitExceededException" => DirectoryError.Throttled,
            _ => DirectoryError.Unavailable,
        };
    }
}
