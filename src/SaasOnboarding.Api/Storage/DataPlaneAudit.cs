namespace SaasOnboarding.Api.Storage;

/// <summary>
/// Makes the audit entry a tenant database writes with a change it makes, in the change's own transaction (SQL) or
/// query (Fauna): called only on the way to a commit, so a write that is refused writes no entry and one that rolls
/// back leaves none. The entry's <see cref="AuditEntry.Target"/> is set by the store to the record it wrote (a new
/// record's id is the store's). docs/audit-and-events.md.
/// </summary>
public delegate AuditEntry DataPlaneAudit();
