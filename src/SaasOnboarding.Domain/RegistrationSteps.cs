namespace SaasOnboarding.Domain;

/// <summary>
/// The registration saga's steps, in the order they run. Each is journaled before it runs, so a journal names every
/// step that may have left something behind; the names are what the journal stores.
/// </summary>
public static class RegistrationSteps
{
    public const string Tenant = "tenant";
    public const string Database = "database";
    public const string Group = "group";
    public const string User = "user";
    public const string Membership = "membership";
    public const string Mapping = "mapping";
    public const string Activate = "activate";

    /// <summary>Every step, in the order a registration runs them.</summary>
    public static readonly IReadOnlyList<string> InOrder = [Tenant, Database, Group, User, Membership, Mapping, Activate];

    /// <summary>The user name of the admin a registration creates for its tenant.</summary>
    public static string TenantAdminUserName(string tenantId) => "tenant-admin-" + tenantId;

    /// <summary>
    /// The journal after <paramref name="step"/> starts: <paramref name="started"/> with it added. Refused unless it
    /// is the step that comes next, so a registration can neither skip nor repeat one.
    /// </summary>
    public static IReadOnlyList<string> Start(IReadOnlyList<string> started, string step)
    {
        var next = started.Count < InOrder.Count ? InOrder[started.Count] : null;
        if (step != next)
        {
            // Stryker disable once String,NullCoalescing : the message is for a developer; the refusal itself is tested.
            throw new InvalidOperationException($"Step '{step}' cannot start after [{string.Join(", ", started)}]; the next step is '{next ?? "none"}'.");
        }

        return [.. started, step];
    }
}
