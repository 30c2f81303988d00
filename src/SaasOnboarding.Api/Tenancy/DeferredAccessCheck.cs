using System.Security.Claims;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tenancy;

/// <summary>
/// The request's side of <see cref="IAccessRevisionCheck"/>, one per request. When
/// <see cref="TenantResolutionMiddleware"/> allows a read of the caller's tenant database from state cached at an
/// access revision without reading that revision first, it expects that revision here; the tenant database reads the
/// revision in its own round trip, and a different one is decided again here (<see cref="CallerCheck.CheckAtAsync"/>).
/// The same decision lets the read stand; another one is thrown (<see cref="AccessChangedException"/>) for the
/// middleware to act on, before anything read leaves. Without an expectation the database checks nothing.
/// </summary>
public sealed class DeferredAccessCheck(CallerCheck check) : IAccessRevisionCheck
{
    private ClaimsPrincipal? _user;
    private CallerVerdict? _verdict;

    public long? Expected { get; private set; }

    /// <summary>The request's caller was decided <paramref name="verdict"/> at <paramref name="revision"/>, not read yet.</summary>
    internal void Expect(ClaimsPrincipal user, CallerVerdict verdict, long revision)
    {
        _user = user;
        _verdict = verdict;
        Expected = revision;
    }

    public async Task ConfirmAsync(long seen, CancellationToken cancellationToken)
    {
        var verdict = await check.CheckAtAsync(_user!, seen, cancellationToken);
        Expected = seen;
        if (verdict != _verdict)
        {
            throw new AccessChangedException(verdict);
        }
    }
}
