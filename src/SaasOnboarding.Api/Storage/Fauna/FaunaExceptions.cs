namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>One failed constraint: the field paths involved and the server's message.</summary>
public sealed record FaunaConstraintFailure(IReadOnlyList<IReadOnlyList<object?>> Paths, string? Message)
{
    /// <summary>True when a path names <paramref name="field"/> (as its last element).</summary>
    public bool Involves(string field) =>
        Paths.Any(path => path.Count > 0 && path[^1] is string last && string.Equals(last, field, StringComparison.Ordinal));
}

/// <summary>
/// An error answered by Fauna, classified by <c>error.code</c> first and by HTTP status second. Messages hold the
/// server's message only: never the secret or a header.
/// </summary>
public class FaunaException : Exception
{
    public FaunaException()
    {
        Code = "unknown";
    }

    public FaunaException(string message)
        : base(message)
    {
        Code = "unknown";
    }

    public FaunaException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "unknown";
    }

    public FaunaException(int statusCode, string code, string message)
        : base($"Fauna answered {statusCode} {code}: {message}")
    {
        StatusCode = statusCode;
        Code = code;
    }

    /// <summary>HTTP status; 0 when no answer came.</summary>
    public int StatusCode { get; }

    public string Code { get; }
}

/// <summary>400: the query or request is wrong (invalid_query, invalid_request, document_not_found, ...).</summary>
public sealed class FaunaQueryException(int statusCode, string code, string message) : FaunaException(statusCode, code, message);

/// <summary>The query called <c>abort(value)</c>; the transaction changed nothing.</summary>
public sealed class FaunaAbortException(int statusCode, string message, object? abort) : FaunaException(statusCode, "abort", message)
{
    /// <summary>The value passed to <c>abort</c>, decoded from the tagged format.</summary>
    public object? Abort { get; } = abort;
}

/// <summary>A write broke a constraint (for example a unique field).</summary>
public sealed class FaunaConstraintException(int statusCode, string message, IReadOnlyList<FaunaConstraintFailure> failures)
    : FaunaException(statusCode, "constraint_failure", message)
{
    public IReadOnlyList<FaunaConstraintFailure> Failures { get; } = failures;
}

/// <summary>A pagination cursor that expired or was never issued.</summary>
public sealed class FaunaInvalidCursorException(int statusCode, string message) : FaunaException(statusCode, "invalid_cursor", message);

/// <summary>401: a bad secret, or a scope naming a database or role that does not exist.</summary>
public sealed class FaunaUnauthorizedException(int statusCode, string code, string message) : FaunaException(statusCode, code, message);

/// <summary>403 or 410: access denied or disabled.</summary>
public sealed class FaunaForbiddenException(int statusCode, string code, string message) : FaunaException(statusCode, code, message);

/// <summary>409: contention remained after the server's own retries.</summary>
public sealed class FaunaContendedException(int statusCode, string code, string message) : FaunaException(statusCode, code, message);

/// <summary>413: the request body is over 16 MB.</summary>
public sealed class FaunaRequestTooLargeException(int statusCode, string code, string message) : FaunaException(statusCode, code, message);

/// <summary>429: throttled. The only error the client retries (with jittered backoff).</summary>
public sealed class FaunaThrottledException(int statusCode, string code, string message) : FaunaException(statusCode, code, message);

/// <summary>440: the query ran longer than the query timeout sent with it.</summary>
public sealed class FaunaQueryTimeoutException(int statusCode, string code, string message) : FaunaException(statusCode, code, message);

/// <summary>5xx: a service-side failure. A write may or may not have happened, so it is not retried blindly.</summary>
public sealed class FaunaServiceException(int statusCode, string code, string message) : FaunaException(statusCode, code, message);

/// <summary>No answer before the client's deadline (query timeout plus a buffer).</summary>
public sealed class FaunaClientTimeoutException(TimeSpan deadline)
    : FaunaException($"No answer from Fauna within {deadline.TotalMilliseconds:0} ms.");

/// <summary>
/// No HTTP answer at all (refused connection, DNS, TLS). A write may or may not have reached the node, so it is not
/// retried blindly either.
/// </summary>
public sealed class FaunaConnectionException(Exception innerException)
    : FaunaException("Fauna could not be reached: " + innerException.Message, innerException);

/// <summary>An answer that does not follow the protocol (an empty 200 body, malformed JSON, an unknown tag).</summary>
public sealed class FaunaProtocolException : FaunaException
{
    public FaunaProtocolException()
    {
    }

    public FaunaProtocolException(string message)
        : base(message)
    {
    }

    public FaunaProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
