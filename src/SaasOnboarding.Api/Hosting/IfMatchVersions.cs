namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// What a request's <c>If-Match</c> asks of a write, as a version its store compares inside the write. The tags of
/// <see cref="Preconditions.ETagOf"/> are hashes, so the caller's tag is matched against the current version here,
/// and that version goes to the store: if the resource changes between this read and the write, the store finds
/// another version and refuses, so a stale tag never wins a race.
/// </summary>
public static class IfMatchVersions
{
    /// <summary>
    /// Without <c>If-Match</c>, or with <c>If-Match: *</c>: unconditional (null version). Otherwise the current
    /// version when one of the tags matches it, <see cref="IfMatchDecision.Stale"/> when none does, and
    /// <see cref="IfMatchDecision.Missing"/> when the resource does not exist.
    /// </summary>
    public static async Task<IfMatchDecision> DecideAsync(HttpRequest request, Func<Task<string?>> currentVersion)
    {
        if (!Preconditions.NamesVersions(request))
        {
            return new IfMatchDecision(null);
        }

        if (await currentVersion() is not { } version)
        {
            return IfMatchDecision.Missing;
        }

        return Preconditions.IfMatchAllows(request, Preconditions.ETagOf(version)) ? new IfMatchDecision(version) : IfMatchDecision.Stale;
    }
}
