namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>
/// The parent database in Fauna: collections <c>tenant</c>, <c>tenantUser</c> and <c>onboardingJournal</c>, reached
/// with the parent key itself. Tenant names are unique through a constraint on the normalized name.
/// </summary>
public sealed class FaunaTenantCatalog(FaunaClient client, ILogger<FaunaTenantCatalog> logger) : ITenantCatalog
{
    internal const string TenantsList = "tenants";
    internal const string TenantUsersList = "tenant_users";

    /// <summary>The numbered migrations of the parent database (<c>.fql</c>), reached with the parent key itself.</summary>
    internal static readonly SchemaMigrations Migrations = SchemaMigrations.Embedded("Storage/Fauna/Migrations/Catalog/");

    public async Task<SchemaUpgrade> InitializeAsync(CancellationToken cancellationToken)
    {
        var upgrade = await FaunaMigrator.UpgradeAsync(client, Migrations, null, "tenant", "the parent database", cancellationToken);
        if (upgrade.Changed)
        {
            logger.LogInformation("Brought the parent database's schema from version {From} to {To}", upgrade.From, upgrade.To);
        }

        return upgrade;
    }

    public async Task<bool> TryInsertTenantAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        var fields = TenantFields(tenant);
        fields["tenantId"] = tenant.Id;
        fields["status"] = tenant.Status.ToString();
        fields["createdAt"] = tenant.CreatedAt;
        try
        {
            await client.QueryAsync(
                Fql.Of($"""
                    tenant.create({fields})
                    null
                    """),
                "tenant_insert",
                null,
                cancellationToken);
            return true;
        }
        catch (FaunaConstraintException e) when (e.Failures.Any(failure => failure.Involves("nameKey")))
        {
            return false;
        }
    }

    public async Task<Tenant?> GetTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        var answer = await client.QueryAsync(Fql.Of($"tenant.byTenantId({tenantId}).first()"), "tenant_get", null, cancellationToken);
        return FaunaRead.Document(answer.Data) is { } document ? ReadTenant(document) : null;
    }

    public async Task<Page<Tenant>> ListTenantsAsync(TenantQuery query, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        var list = ListName(query);
        var fql = nextToken is null
            ? Fql.Of($"{TenantSet(query)}.order({TenantOrder(query)}).pageSize({limit})")
            : Fql.Of($"Set.paginate({FaunaPageTokens.Unwrap(list, nextToken)})");
        var page = FaunaRead.Page((await client.QueryPageAsync(fql, "tenant_list", null, cancellationToken)).Data);
        return new Page<Tenant>(
            page.Data.Select(item => ReadTenant(FaunaRead.Document(item) ?? throw new FaunaProtocolException("A null tenant in a page."))).ToList(),
            FaunaPageTokens.Wrap(list, page.After));
    }

    public async Task<int> CountTenantsAsync(TenantQuery query, CancellationToken cancellationToken) =>
        FaunaRead.Int((await client.QueryAsync(Fql.Of($"{TenantSet(query)}.count()"), "tenant_count", null, cancellationToken)).Data, "count");

    /// <summary>The list a page token belongs to: the tenants of one query (<see cref="TenantQuery.Fingerprint"/>).</summary>
    internal static string ListName(TenantQuery query) => TenantsList + "/" + query.Fingerprint;

    /// <summary>The tenants <paramref name="query"/> matches, unordered: one status through its index, or every listed one.</summary>
    private static Fql TenantSet(TenantQuery query)
    {
        var source = query.Status is { } status
            ? Fql.Of($"tenant.byStatus({status.ToString()})")
            : Fql.Of($"tenant.all().where(t => t.status != {nameof(TenantStatus.Provisioning)} && t.status != {nameof(TenantStatus.Purged)})");
        var (name, text) = (query.NamePart, query.TextPart);
        return Fql.Of($"""
            {source}.where(t => ({query.Tier} == null || t.tenantTier == {query.Tier}) && ({name} == null || t.nameKey.includes({name}) || t.tenantEmail.toLowerCase().includes({text}) || t.tenantId.includes({text})))
            """);
    }

    /// <summary>The order of <paramref name="query"/>, ending with the tenant id so that no two tenants tie.</summary>
    private static Fql TenantOrder(TenantQuery query) => (query.Sort, query.Descending) switch
    {
        (TenantSort.Created, false) => Fql.Of($"asc(.createdAt), asc(.tenantId)"),
        (TenantSort.Created, true) => Fql.Of($"desc(.createdAt), desc(.tenantId)"),
        (TenantSort.Tier, false) => Fql.Of($"asc(t => {Tenants.TenantTiers.All}.indexOf(t.tenantTier)), asc(.nameKey), asc(.tenantId)"),
        (TenantSort.Tier, true) => Fql.Of($"desc(t => {Tenants.TenantTiers.All}.indexOf(t.tenantTier)), desc(.nameKey), desc(.tenantId)"),
        (_, false) => Fql.Of($"asc(.nameKey), asc(.tenantId)"),
        (_, true) => Fql.Of($"desc(.nameKey), desc(.tenantId)"),
    };

    public async Task<TenantUpdateResult> UpdateTenantAsync(
        string tenantId, TenantChanges changes, DateTimeOffset updatedAt, DateTimeOffset? expectedUpdatedAt, ChangeRecord? record, CancellationToken cancellationToken)
    {
        var fields = ChangedFields(changes);
        fields["updatedAt"] = updatedAt;
        try
        {
            return await WriteTenantAsync(tenantId, fields, expectedUpdatedAt, record, "tenant_update", cancellationToken);
        }
        catch (FaunaConstraintException e) when (e.Failures.Any(failure => failure.Involves("nameKey")))
        {
            return TenantUpdateResult.NameTaken;
        }
    }

    public Task<TenantUpdateResult> SetTenantStatusAsync(
        string tenantId, TenantStatus status, DateTimeOffset updatedAt, DateTimeOffset? expectedUpdatedAt, ChangeRecord? record, CancellationToken cancellationToken) =>
        WriteTenantAsync(
            tenantId,
            new Dictionary<string, object?> { ["status"] = status.ToString(), ["updatedAt"] = updatedAt },
            expectedUpdatedAt,
            record,
            "tenant_set_status",
            cancellationToken);

    public Task<TenantUpdateResult> SetOffboardingAsync(
        string tenantId,
        TenantStatus status,
        TenantOffboarding? offboarding,
        DateTimeOffset updatedAt,
        DateTimeOffset? expectedUpdatedAt,
        ChangeRecord? record,
        CancellationToken cancellationToken) =>
        WriteTenantAsync(
            tenantId,
            new Dictionary<string, object?>
            {
                ["status"] = status.ToString(),
                ["updatedAt"] = updatedAt,

                // A field set to null is removed from the document.
                ["offboardingStartedAt"] = offboarding?.StartedAt,
                ["purgeAfter"] = offboarding?.PurgeAfter,
                ["offboardedBy"] = offboarding?.StartedBy,
                ["offboardedByRole"] = offboarding?.StartedByRole,
                ["statusBeforeOffboarding"] = offboarding?.StatusBefore.ToString(),
            },
            expectedUpdatedAt,
            record,
            "tenant_set_offboarding",
            cancellationToken);

    public Task WriteTombstoneAsync(string tenantId, DateTimeOffset updatedAt, ChangeRecord? record, CancellationToken cancellationToken)
    {
        var purging = nameof(TenantStatus.Purging);
        var purged = nameof(TenantStatus.Purged);
        return client.QueryAsync(
            Fql.Of($$"""
                let t = tenant.byTenantId({{tenantId}}).first()
                if (t != null && t!.status == {{purging}}) {
                  tenantUser.byTenantId({{tenantId}}).forEach(u => u.delete())
                  t!.update({ status: {{purged}}, nameKey: t!.nameKey + {{TenantNames.TombstoneSeparator}} + t!.tenantId, tenantEmail: "", tenantPhone: null, tenantAddress: null, updatedAt: {{updatedAt}} })
                  {{FaunaChanges.Write(record)}}
                }
                null
                """),
            "tenant_tombstone",
            null,
            cancellationToken);
    }

    public Task DeleteTenantAsync(string tenantId, CancellationToken cancellationToken) => client.QueryAsync(
        Fql.Of($"""
            tenant.byTenantId({tenantId}).forEach(t => t.delete())
            tenantUser.byTenantId({tenantId}).forEach(u => u.delete())
            outboxEvent.byTenantId({tenantId}).forEach(e => e.delete())
            outboxSequence.byTenantId({tenantId}).forEach(s => s.delete())
            null
            """),
        "tenant_delete",
        null,
        cancellationToken);

    public Task UpsertTenantUserAsync(TenantUserMapping mapping, ChangeRecord? record, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, object?>
        {
            ["userName"] = mapping.UserName,
            ["tenantId"] = mapping.TenantId,
            ["enabled"] = mapping.Enabled,
        };
        return client.QueryAsync(
            Fql.Of($$"""
                let u = tenantUser.byUserName({{mapping.UserName}}).first()
                if (u == null) {
                  tenantUser.create({{fields}})
                } else {
                  u!.update({{fields}})
                }
                {{FaunaChanges.Write(record)}}
                """),
            "tenant_user_upsert",
            null,
            cancellationToken);
    }

    public async Task<TenantUserMapping?> GetTenantUserAsync(string userName, CancellationToken cancellationToken)
    {
        var answer = await client.QueryAsync(Fql.Of($"tenantUser.byUserName({userName}).first()"), "tenant_user_get", null, cancellationToken);
        return FaunaRead.Document(answer.Data) is { } document ? ReadMapping(document) : null;
    }

    public async Task<Page<TenantUserMapping>> ListTenantUsersAsync(string tenantId, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        var query = nextToken is null
            ? Fql.Of($"tenantUser.byTenantId({tenantId}).pageSize({limit})")
            : Fql.Of($"Set.paginate({FaunaPageTokens.Unwrap(TenantUsersList, nextToken)})");
        var page = FaunaRead.Page((await client.QueryPageAsync(query, "tenant_user_list", null, cancellationToken)).Data);
        return new Page<TenantUserMapping>(
            page.Data.Select(item => ReadMapping(FaunaRead.Document(item) ?? throw new FaunaProtocolException("A null mapping in a page."))).ToList(),
            FaunaPageTokens.Wrap(TenantUsersList, page.After));
    }

    private static TenantUserMapping ReadMapping(FaunaDocument document) => new(
        FaunaRead.String(document, "tenantId"),
        FaunaRead.String(document, "userName"),
        FaunaRead.Bool(document["enabled"], "enabled"));

    /// <summary>
    /// One query: the names of the mappings in the other state are read before the update, and the events of those
    /// names (sent as pairs of name and event) go into the record's write.
    /// </summary>
    public async Task<IReadOnlyList<string>> SetTenantUsersEnabledAsync(
        string tenantId, bool enabled, ChangeRecord? record, IReadOnlyDictionary<string, LifecycleEvent>? changeEvents, CancellationToken cancellationToken)
    {
        var candidates = (changeEvents ?? new Dictionary<string, LifecycleEvent>())
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => new Dictionary<string, object?> { ["userName"] = pair.Key, ["event"] = FaunaChanges.EventFields(pair.Value) })
            .ToList();
        var answer = await client.QueryAsync(
            Fql.Of($$"""
                let users = tenantUser.byTenantId({{tenantId}}).toArray()
                let changed = users.where(u => u.enabled != {{enabled}}).map(u => u.userName)
                users.where(u => u.enabled != {{enabled}}).forEach(u => u.update({ enabled: {{enabled}} }))
                {{FaunaChanges.Write(record, Fql.Of($"{candidates}.where(c => changed.includes(c.userName)).map(c => c.event)"))}}
                users.map(u => u.userName)
                """),
            "tenant_users_set_enabled",
            null,
            cancellationToken);
        return FaunaRead.Array(answer.Data).Select(name => name as string ?? throw new FaunaProtocolException("A user name is not a string.")).ToList();
    }

    public Task RemoveTenantUserAsync(string userName, ChangeRecord? record, CancellationToken cancellationToken) => client.QueryAsync(
        Fql.Of($"""
            tenantUser.byUserName({userName}).forEach(u => u.delete())
            {FaunaChanges.Write(record)}
            """),
        "tenant_user_remove",
        null,
        cancellationToken);

    public Task RecordAsync(ChangeRecord record, CancellationToken cancellationToken) =>
        client.QueryAsync(FaunaChanges.Write(record), "change_record", null, cancellationToken);

    public async Task<Page<AuditEntry>> ListAuditAsync(AuditQuery query, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        var fql = nextToken is null
            ? FaunaChanges.List(query, limit)
            : Fql.Of($"Set.paginate({FaunaPageTokens.Unwrap(FaunaChanges.AuditList, nextToken)})");
        var page = FaunaRead.Page((await client.QueryPageAsync(fql, "audit_list", null, cancellationToken)).Data);
        return new Page<AuditEntry>(
            page.Data.Select(item => FaunaChanges.Read(FaunaRead.Document(item) ?? throw new FaunaProtocolException("A null audit entry in a page."))).ToList(),
            FaunaPageTokens.Wrap(FaunaChanges.AuditList, page.After));
    }

    /// <summary>At most 1000 entries a query (a Fauna transaction has a write limit); a later pass goes on.</summary>
    public async Task<int> PruneAuditAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var answer = await client.QueryAsync(
            FaunaChanges.Prune(before),
            "audit_prune",
            null,
            cancellationToken);
        return FaunaRead.Int(answer.Data, "pruned");
    }

    public async Task<IReadOnlyList<OutboxEvent>> ListOutboxAsync(string tenantId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        var answer = await client.QueryAsync(
            Fql.Of($"outboxEvent.byTenantId({tenantId}).where(e => e.sequence > {afterSequence}).take({limit}).toArray()"),
            "outbox_list",
            null,
            cancellationToken);
        return FaunaRead.Array(answer.Data)
            .Select(item => FaunaChanges.ReadEvent(FaunaRead.Document(item) ?? throw new FaunaProtocolException("A null outbox event.")))
            .ToList();
    }

    public Task WriteJournalAsync(OnboardingJournal journal, CancellationToken cancellationToken)
    {
        var created = new Dictionary<string, object?>
        {
            ["tenantId"] = journal.TenantId,
            ["tenantName"] = journal.TenantName,
            ["instanceId"] = journal.InstanceId,
            ["steps"] = journal.StepsStarted,
            ["updatedAt"] = journal.UpdatedAt,
        };
        var changed = new Dictionary<string, object?>
        {
            ["instanceId"] = journal.InstanceId,
            ["steps"] = journal.StepsStarted,
            ["updatedAt"] = journal.UpdatedAt,
        };
        return client.QueryAsync(
            Fql.Of($$"""
                let j = onboardingJournal.byTenantId({{journal.TenantId}}).first()
                if (j == null) {
                  onboardingJournal.create({{created}})
                } else {
                  j!.update({{changed}})
                }
                null
                """),
            "journal_write",
            null,
            cancellationToken);
    }

    public Task DeleteJournalAsync(string tenantId, CancellationToken cancellationToken) => client.QueryAsync(
        Fql.Of($"""
            onboardingJournal.byTenantId({tenantId}).forEach(j => j.delete())
            null
            """),
        "journal_delete",
        null,
        cancellationToken);

    public async Task<IReadOnlyList<OnboardingJournal>> ListJournalsAsync(CancellationToken cancellationToken)
    {
        var journals = new List<OnboardingJournal>();
        var pageSize = 100;
        string? cursor = null;
        do
        {
            var query = cursor is null
                ? Fql.Of($"onboardingJournal.sortedByUpdatedAt().pageSize({pageSize})")
                : Fql.Of($"Set.paginate({cursor})");
            var page = FaunaRead.Page((await client.QueryAsync(query, "journal_list", null, cancellationToken)).Data);
            foreach (var item in page.Data)
            {
                var document = FaunaRead.Document(item) ?? throw new FaunaProtocolException("A null journal in a page.");
                journals.Add(new OnboardingJournal(
                    FaunaRead.String(document, "tenantId"),
                    FaunaRead.String(document, "tenantName"),
                    FaunaRead.String(document, "instanceId"),
                    FaunaRead.Array(document["steps"]).Select(step => step as string ?? throw new FaunaProtocolException("A step is not a string.")).ToList(),
                    FaunaRead.Time(document["updatedAt"], "updatedAt")));
            }

            cursor = page.After;
        }
        while (cursor is not null);

        return journals;
    }

    public async Task<long> GetAccessRevisionAsync(string tenantId, CancellationToken cancellationToken)
    {
        var answer = await client.QueryAsync(
            Fql.Of($$"""
                let r = accessRevision.byTenantId({{tenantId}}).first()
                if (r == null) 0 else r!.revision
                """),
            "access_revision_get",
            null,
            cancellationToken);
        return FaunaRead.Long(answer.Data, "revision");
    }

    public async Task BumpAccessRevisionAsync(string tenantId, CancellationToken cancellationToken)
    {
        var query = Fql.Of($$"""
            let r = accessRevision.byTenantId({{tenantId}}).first()
            if (r == null) {
              accessRevision.create({ tenantId: {{tenantId}}, revision: 1 })
            } else {
              r!.update({ revision: r!.revision + 1 })
            }
            null
            """);
        try
        {
            await client.QueryAsync(query, "access_revision_bump", null, cancellationToken);
        }
        catch (FaunaConstraintException)
        {
            // Another instance made the tenant's first revision meanwhile: this query now finds it and moves it on.
            await client.QueryAsync(query, "access_revision_bump", null, cancellationToken);
        }
    }

    public async Task<int> TakePermitsAsync(string key, DateTimeOffset windowStart, int permitLimit, int wanted, CancellationToken cancellationToken)
    {
        var query = Fql.Of($$"""
            let w = rateWindow.byKey({{key}}).first()
            let first = Math.min({{wanted}}, {{permitLimit}})
            if (w == null) {
              rateWindow.create({ key: {{key}}, windowStart: {{windowStart}}, used: first })
              first
            } else if (w!.windowStart >= {{windowStart}}) {
              let granted = Math.max(Math.min({{wanted}}, {{permitLimit}} - w!.used), 0)
              w!.update({ used: w!.used + granted })
              granted
            } else {
              w!.update({ windowStart: {{windowStart}}, used: first })
              first
            }
            """);
        try
        {
            return FaunaRead.Int((await client.QueryAsync(query, "permits_take", null, cancellationToken)).Data, "granted");
        }
        catch (FaunaConstraintException)
        {
            // Another instance made the key's row meanwhile: this query now finds it.
            return FaunaRead.Int((await client.QueryAsync(query, "permits_take", null, cancellationToken)).Data, "granted");
        }
    }

    public async Task<bool> TryTakeLeaseAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, object?> { ["leaseName"] = name, ["holder"] = holder, ["expiresAt"] = now + duration };
        try
        {
            var answer = await client.QueryAsync(
                Fql.Of($$"""
                    let l = lease.byName({{name}}).first()
                    if (l == null) {
                      lease.create({{fields}})
                      true
                    } else if (l!.holder == {{holder}} || l!.expiresAt <= {{now}}) {
                      l!.update({{fields}})
                      true
                    } else {
                      false
                    }
                    """),
                "lease_take",
                null,
                cancellationToken);
            return answer.Data is true;
        }
        catch (FaunaConstraintException)
        {
            // Another instance created the lease between this query's read and its write.
            return false;
        }
    }

    public Task PingAsync(CancellationToken cancellationToken) =>
        client.QueryAsync(Fql.Of($"Collection.byName({"tenant"}) != null"), "ping", null, cancellationToken);

    /// <summary>
    /// One query, so one transaction: it reads the tenant, compares its <c>updatedAt</c> with the expected one, and
    /// updates only the given fields (an update merges them into the document), with the record. It answers the document as stored,
    /// or the string <c>notFound</c> or <c>versionMismatch</c>.
    /// </summary>
    private async Task<TenantUpdateResult> WriteTenantAsync(
        string tenantId, Dictionary<string, object?> fields, DateTimeOffset? expectedUpdatedAt, ChangeRecord? record, string operation, CancellationToken cancellationToken)
    {
        var answer = await client.QueryAsync(
            Fql.Of($$"""
                let t = tenant.byTenantId({{tenantId}}).first()
                if (t == null) {
                  "notFound"
                } else if ({{expectedUpdatedAt}} != null && t!.updatedAt != {{expectedUpdatedAt}}) {
                  "versionMismatch"
                } else {
                  let written = t!.update({{fields}})
                  {{FaunaChanges.Write(record)}}
                  written
                }
                """),
            operation,
            null,
            cancellationToken);
        return answer.Data switch
        {
            "notFound" => TenantUpdateResult.NotFound,
            "versionMismatch" => TenantUpdateResult.VersionMismatch,
            var document => new TenantUpdateResult(
                TenantUpdateOutcome.Updated,
                ReadTenant(FaunaRead.Document(document) ?? throw new FaunaProtocolException("An update answered null."))),
        };
    }

    /// <summary>The non-null fields of <paramref name="changes"/>, with the name key beside the name.</summary>
    private static Dictionary<string, object?> ChangedFields(TenantChanges changes)
    {
        var fields = new Dictionary<string, object?>();
        if (changes.TenantName is { } name)
        {
            fields["tenantName"] = name;
            fields["nameKey"] = TenantNames.Normalize(name);
        }

        if (changes.TenantEmail is { } email)
        {
            fields["tenantEmail"] = email;
        }

        if (changes.TenantPhone is { } phone)
        {
            fields["tenantPhone"] = phone;
        }

        if (changes.TenantAddress is { } address)
        {
            fields["tenantAddress"] = address;
        }

        if (changes.TenantTier is { } tier)
        {
            fields["tenantTier"] = tier;
        }

        return fields;
    }

    private static Dictionary<string, object?> TenantFields(Tenant tenant) => new()
    {
        ["tenantName"] = tenant.TenantName,
        ["nameKey"] = TenantNames.Normalize(tenant.TenantName),
        ["tenantEmail"] = tenant.TenantEmail,
        ["tenantPhone"] = tenant.TenantPhone,
        ["tenantAddress"] = tenant.TenantAddress,
        ["tenantTier"] = tenant.TenantTier,
        ["updatedAt"] = tenant.UpdatedAt,
    };

    private static Tenant ReadTenant(FaunaDocument document) => new(
        FaunaRead.String(document, "tenantId"),
        FaunaRead.String(document, "tenantName"),
        FaunaRead.String(document, "tenantEmail"),
        FaunaRead.OptionalString(document, "tenantPhone"),
        FaunaRead.OptionalString(document, "tenantAddress"),
        FaunaRead.String(document, "tenantTier"),
        Enum.Parse<TenantStatus>(FaunaRead.String(document, "status")),
        FaunaRead.Time(document["createdAt"], "createdAt"),
        FaunaRead.Time(document["updatedAt"], "updatedAt"),
        document["offboardingStartedAt"] is null
            ? null
            : new TenantOffboarding(
                FaunaRead.Time(document["offboardingStartedAt"], "offboardingStartedAt"),
                FaunaRead.Time(document["purgeAfter"], "purgeAfter"),
                FaunaRead.String(document, "offboardedBy"),
                FaunaRead.String(document, "offboardedByRole"),
                Enum.Parse<TenantStatus>(FaunaRead.String(document, "statusBeforeOffboarding"))));
}
