namespace SaasOnboarding.Domain;

/// <summary>
/// The registration saga's steps, in the order they run. Each is journaled before it runs, so a journal names every
/// step that may have left something behind; the names are what the journal stores. An import (a tenant made from
/// an export bundle) runs the same steps with two more: <see cref="Data"/> after the database and <see cref="Users"/>
/// after the admin's mapping.
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

    /// <summary>An import's products and orders, written into the new child database.</summary>
    public const string Data = "data";

    /// <summary>An import's users other than the admin, each with its mapping (and group membership).</summary>
    public const string Users = "users";

    /// <summary>Every step, in the order a registration runs them.</summary>
    public static readonly IReadOnlyList<string> InOrder = [Tenant, Database, Group, User, Membership, Mapping, Activate];

    /// <summary>Every step, in the order an import runs them.</summary>
    public static readonly IReadOnlyList<string> ImportInOrder = [Tenant, Database, Data, Group, User, Membership, Mapping, Users, Activate];

    /// <summary>
    /// The steps a registration (or with <paramref name="import"/> an import) runs: without a group per tenant, those
    /// of <see cref="InOrder"/> or <see cref="ImportInOrder"/> less <see cref="Group"/> and <see cref="Membership"/>.
    /// </summary>
    public static IReadOnlyList<string> Order(bool import, bool groupPerTenant)
    {
        var order = import ? ImportInOrder : InOrder;
        return groupPerTenant ? order : [.. order.Where(step => step is not (Group or Membership))];
    }

    /// <summary>The user name of the admin a registration creates for its tenant.</summary>
    public static string TenantAdminUserName(string tenantId) => "tenant-admin-" + tenantId;

    /// <summary>
    /// The journal after <paramref name="step"/> starts: <paramref name="started"/> with it added. Refused unless it
    /// is the step that comes next in <paramref name="order"/> (<see cref="InOrder"/> unless given), so a
    /// registration can neither skip nor repeat one.
    /// </summary>
    public static IReadOnlyList<string> Start(IReadOnlyList<string> started, string step, IReadOnlyList<string>? order = null)
    {
        order ??= InOrder;
        var next = started.Count < order.Count ? order[started.Count] : null;
        if (step != next)
        {
            // Stryker disable once String,NullCoalescing : the message is for a developer; the refusal itself is tested.
            throw new InvalidOperationException($"Step '{step}' cannot start after [{string.Join(", ", started)}]; the next step is '{next ?? "none"}'.");
        }

        return [.. started, step];
    }
}
