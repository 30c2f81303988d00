using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// Entity tags and <c>If-Match</c> for resources that can be updated (RFC 9110 §8.8.3, §13.1.1). A resource's tag is
/// derived from a version string that its store can compare inside the write (for example its stored
/// <c>updatedAt</c>), so that a stale tag is refused by the write itself, not by a read before it. A request
/// without <c>If-Match</c> writes unconditionally, as before.
/// </summary>
public static class Preconditions
{
    /// <summary>A strong tag: the first 16 bytes of the SHA-256 of the version, base64url, quoted.</summary>
    public static string ETagOf(string version)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(version), hash);
        return "\"" + Convert.ToBase64String(hash[..16]).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"";
    }

    /// <summary>
    /// Whether the request may go on against a resource whose current tag is <paramref name="currentETag"/>: true
    /// without <c>If-Match</c>, with <c>If-Match: *</c>, or when one of its tags equals the current one (strong
    /// comparison: a weak tag never matches).
    /// </summary>
    public static bool IfMatchAllows(HttpRequest request, string currentETag)
    {
        if (!request.Headers.TryGetValue("If-Match", out var values))
        {
            return true;
        }

        foreach (var value in values)
        {
            foreach (var tag in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (tag == "*" || tag == currentETag)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when the request carries an <c>If-Match</c> header.</summary>
    public static bool HasIfMatch(HttpRequest request) => request.Headers.ContainsKey("If-Match");

    /// <summary>
    /// True when the write is conditional on a version: the request has <c>If-Match</c>, and not <c>If-Match: *</c>
    /// (which any existing resource matches).
    /// </summary>
    public static bool NamesVersions(HttpRequest request) =>
        HasIfMatch(request) && !request.Headers.IfMatch
            .SelectMany(value => (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Contains("*");

    /// <summary>Sets the response's <c>ETag</c> header.</summary>
    public static void SetETag(HttpResponse response, string etag) => response.Headers.ETag = etag;

    /// <summary>412 for a stale <c>If-Match</c>: the resource changed since the caller read it.</summary>
    public static ProblemHttpResult PreconditionFailed() => TypedResults.Problem(
        statusCode: StatusCodes.Status412PreconditionFailed,
        title: "Precondition failed",
        detail: "The resource changed since it was read (its ETag no longer matches If-Match). Read it again and retry.");
}
