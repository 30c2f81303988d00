using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Stores.Tests;

/// <summary>
/// The behaviour every storage adapter must show, parent catalog and child databases alike. A subclass per adapter
/// supplies the fixture and adds what is particular to that adapter. Tests share the fixture's store, so each one
/// uses fresh tenant ids and names carrying a unique marker.
/// </summary>
public abstract class StorageConformanceTests(IStorageFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private ITenantCatalog Catalog => fixture.Catalog;

    protected ITenantDatabases Databases => fixture.Databases;

    // ---- tenants ----

    [SkippableFact]
    public async Task AnInsertedTenantReadsBackWithEveryField()
    {
        var tenant = NewTenant(Unique("Acme"));

        Assert.True(await Catalog.TryInsertTenantAsync(tenant, None));

        Assert.Equal(Stored(tenant), await Catalog.GetTenantAsync(tenant.Id, None));
        Assert.Null(await Catalog.GetTenantAsync(TenantIds.New(), None));
    }

    [SkippableFact]
    public async Task ATenantNameIsTakenWhateverItsCaseAndSpacing()
    {
        var name = Unique("Acme  Corp");
        var first = NewTenant(name);
        var second = NewTenant("  " + name.ToUpperInvariant().Replace("  ", " ", StringComparison.Ordinal) + " ");

        Assert.True(await Catalog.TryInsertTenantAsync(first, None));
        Assert.False(await Catalog.TryInsertTenantAsync(second, None));

        Assert.Null(await Catalog.GetTenantAsync(second.Id, None));
        Assert.Equal(first.TenantName, (await Catalog.GetTenantAsync(first.Id, None))!.TenantName);
    }

    [SkippableFact]
    public async Task UpdatingATenantWritesTheGivenFieldsAndAnswersItAsStored()
    {
        var tenant = NewTenant(Unique("Before"));
        await Catalog.TryInsertTenantAsync(tenant, None);
        var changes = new TenantChanges(Unique("After"), "new@example.com", "+44 20 0000", "2 Side St", "Premium");
        var later = tenant.UpdatedAt.AddMinutes(5);

        var result = await Catalog.UpdateTenantAsync(tenant.Id, changes, later, null, None);

        var expected = Stored(tenant with
        {
            TenantName = changes.TenantName!,
            TenantEmail = changes.TenantEmail!,
            TenantPhone = changes.TenantPhone,
            TenantAddress = changes.TenantAddress,
            TenantTier = changes.TenantTier!,
            UpdatedAt = later,
        });
        Assert.Equal(TenantUpdateOutcome.Updated, result.Outcome);
        Assert.Equal(expected, result.Tenant);
        Assert.Equal(expected, await Catalog.GetTenantAsync(tenant.Id, None));
    }

    [SkippableFact]
    public async Task AnUpdateLeavesTheFieldsItWasNotGivenAsTheyAre()
    {
        var tenant = NewTenant(Unique("Partial"));
        await Catalog.TryInsertTenantAsync(tenant, None);
        var later = tenant.UpdatedAt.AddSeconds(1);

        await Catalog.UpdateTenantAsync(tenant.Id, new TenantChanges(TenantPhone: "+1 555 0199"), later, null, None);

        Assert.Equal(Stored(tenant with { TenantPhone = "+1 555 0199", UpdatedAt = later }), await Catalog.GetTenantAsync(tenant.Id, None));
    }

    [SkippableFact]
    public async Task ConcurrentUpdatesOfDifferentFieldsBothSurvive()
    {
        var tenant = NewTenant(Unique("Both"));
        await Catalog.TryInsertTenantAsync(tenant, None);
        string[] tiers = ["Standard", "Premium", "Platinum", "Basic"];

        for (var trial = 0; trial < 20; trial++)
        {
            var phone = $"+1 555 {trial:0000}";
            var tier = tiers[trial % tiers.Length];
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var phoneWrite = Task.Run(async () =>
            {
                await start.Task;
                return await Catalog.UpdateTenantAsync(tenant.Id, new TenantChanges(TenantPhone: phone), DateTimeOffset.UtcNow, null, None);
            });
            var tierWrite = Task.Run(async () =>
            {
                await start.Task;
                return await Catalog.UpdateTenantAsync(tenant.Id, new TenantChanges(TenantTier: tier), DateTimeOffset.UtcNow, null, None);
            });
            start.SetResult();

            Assert.All(await Task.WhenAll(phoneWrite, tierWrite), result => Assert.Equal(TenantUpdateOutcome.Updated, result.Outcome));
            var read = await Catalog.GetTenantAsync(tenant.Id, None);
            Assert.Equal((phone, tier), (read!.TenantPhone, read.TenantTier));
        }
    }

    [SkippableFact]
    public async Task AnUpdateOrStatusChangeAtAStaleVersionChangesNothing()
    {
        var tenant = NewTenant(Unique("Versioned"));
        await Catalog.TryInsertTenantAsync(tenant, None);
        var stale = Truncated(tenant.UpdatedAt).AddSeconds(-1);
        var later = tenant.UpdatedAt.AddSeconds(1);

        Assert.Equal(TenantUpdateOutcome.VersionMismatch, (await Catalog.UpdateTenantAsync(tenant.Id, new TenantChanges(TenantPhone: "+1 555 0000"), later, stale, None)).Outcome);
        Assert.Equal(TenantUpdateOutcome.VersionMismatch, (await Catalog.SetTenantStatusAsync(tenant.Id, TenantStatus.Inactive, later, stale, None)).Outcome);
        Assert.Equal(Stored(tenant), await Catalog.GetTenantAsync(tenant.Id, None));

        // At the version as read, the write goes ahead, and a second write at that same version no longer does.
        var current = (await Catalog.GetTenantAsync(tenant.Id, None))!.UpdatedAt;
        var written = await Catalog.UpdateTenantAsync(tenant.Id, new TenantChanges(TenantPhone: "+1 555 0001"), later, current, None);
        Assert.Equal(TenantUpdateOutcome.Updated, written.Outcome);
        Assert.Equal(TenantUpdateOutcome.VersionMismatch, (await Catalog.SetTenantStatusAsync(tenant.Id, TenantStatus.Inactive, later.AddSeconds(1), current, None)).Outcome);
        var status = await Catalog.SetTenantStatusAsync(tenant.Id, TenantStatus.Inactive, later.AddSeconds(1), written.Tenant!.UpdatedAt, None);
        Assert.Equal(TenantUpdateOutcome.Updated, status.Outcome);
        Assert.Equal(status.Tenant, await Catalog.GetTenantAsync(tenant.Id, None));
        Assert.Equal(TenantUpdateOutcome.NotFound, (await Catalog.UpdateTenantAsync(TenantIds.New(), new TenantChanges(TenantPhone: "1234"), later, current, None)).Outcome);
    }

    [SkippableFact]
    public async Task UpdatingATenantToAnotherTenantsNameIsRefusedAndChangesNothing()
    {
        var taken = NewTenant(Unique("Taken"));
        var tenant = NewTenant(Unique("Mine"));
        await Catalog.TryInsertTenantAsync(taken, None);
        await Catalog.TryInsertTenantAsync(tenant, None);

        var result = await Catalog.UpdateTenantAsync(
            tenant.Id, new TenantChanges(TenantName: taken.TenantName.ToLowerInvariant(), TenantEmail: "x@example.com"), DateTimeOffset.UtcNow, null, None);

        Assert.Equal(TenantUpdateOutcome.NameTaken, result.Outcome);
        Assert.Equal(Stored(tenant), await Catalog.GetTenantAsync(tenant.Id, None));
    }

    [SkippableFact]
    public async Task NamesThatOnlyLookDifferentAreOneName()
    {
        var marker = Marker();
        var first = NewTenant($"Acme {marker}");
        var other = NewTenant(Unique("Other"));
        Assert.True(await Catalog.TryInsertTenantAsync(first, None));
        Assert.True(await Catalog.TryInsertTenantAsync(other, None));

        // Full-width letters in another case: the same name in NFKC, case-folded form.
        var fullWidth = string.Concat("Acme".Select(c => (char)(c - 'A' + '\uFF21')));
        Assert.False(await Catalog.TryInsertTenantAsync(NewTenant($"{fullWidth} {marker.ToUpperInvariant()}"), None));
        var renamed = await Catalog.UpdateTenantAsync(other.Id, new TenantChanges(TenantName: $"ACME {marker}"), DateTimeOffset.UtcNow, null, None);
        Assert.Equal(TenantUpdateOutcome.NameTaken, renamed.Outcome);
        Assert.Equal(Stored(other), await Catalog.GetTenantAsync(other.Id, None));
    }

    [SkippableFact]
    public async Task UpdatingAMissingTenantAnswersNotFound()
    {
        Assert.Equal(TenantUpdateOutcome.NotFound, (await Catalog.UpdateTenantAsync(TenantIds.New(), new TenantChanges(TenantPhone: "1234"), DateTimeOffset.UtcNow, null, None)).Outcome);
    }

    [SkippableFact]
    public async Task ListingTenantsLeavesOutProvisioningTenantsAndOrdersByName()
    {
        var marker = Marker();
        var charlie = NewTenant($"Charlie {marker}");
        var alpha = NewTenant($"alpha {marker}", TenantStatus.Inactive);
        var bravo = NewTenant($"Bravo {marker}");
        var provisioning = NewTenant($"Aardvark {marker}", TenantStatus.Provisioning);
        foreach (var tenant in new[] { charlie, alpha, bravo, provisioning })
        {
            Assert.True(await Catalog.TryInsertTenantAsync(tenant, None));
        }

        var page = await Catalog.ListTenantsAsync(10, null, marker, null, None);

        Assert.Equal([alpha.Id, bravo.Id, charlie.Id], page.Items.Select(tenant => tenant.Id));
        Assert.Null(page.NextToken);
    }

    // ---- offboarding ----

    [SkippableFact]
    public async Task StartingAndCancellingOffboardingWritesTheStatusAndTheOffboardingAndClearsIt()
    {
        var tenant = NewTenant(Unique("Leaving"));
        await Catalog.TryInsertTenantAsync(tenant, None);
        var started = Truncated(tenant.UpdatedAt.AddMinutes(1));
        var offboarding = new TenantOffboarding(started, started.AddDays(30), "admin", "SystemAdmin", TenantStatus.Active);

        var stale = await Catalog.SetOffboardingAsync(tenant.Id, TenantStatus.Offboarding, offboarding, started, Truncated(tenant.UpdatedAt).AddSeconds(-1), None);
        var written = await Catalog.SetOffboardingAsync(tenant.Id, TenantStatus.Offboarding, offboarding, started, Truncated(tenant.UpdatedAt), None);

        Assert.Equal(TenantUpdateOutcome.VersionMismatch, stale.Outcome);
        var expected = Stored(tenant with { Status = TenantStatus.Offboarding, UpdatedAt = started, Offboarding = offboarding });
        Assert.Equal(expected, written.Tenant);
        Assert.Equal(expected, await Catalog.GetTenantAsync(tenant.Id, None));

        var later = started.AddMinutes(1);
        var cancelled = await Catalog.SetOffboardingAsync(tenant.Id, TenantStatus.Active, null, later, started, None);

        Assert.Equal(Stored(tenant with { UpdatedAt = later }), cancelled.Tenant);
        Assert.Equal(Stored(tenant with { UpdatedAt = later }), await Catalog.GetTenantAsync(tenant.Id, None));
    }

    [SkippableFact]
    public async Task ATombstoneKeepsIdNameDatesAndOffboardingDropsMappingsAndContactsAndFreesTheName()
    {
        var tenant = NewTenant(Unique("Gone"));
        var neighbour = NewTenant(Unique("Staying"));
        await Catalog.TryInsertTenantAsync(tenant, None);
        await Catalog.TryInsertTenantAsync(neighbour, None);
        var user = "u-" + Marker();
        var neighbourUser = "u-" + Marker();
        await Catalog.UpsertTenantUserAsync(new TenantUserMapping(tenant.Id, user, true), None);
        await Catalog.UpsertTenantUserAsync(new TenantUserMapping(neighbour.Id, neighbourUser, true), None);
        var started = Truncated(tenant.UpdatedAt.AddMinutes(1));
        var offboarding = new TenantOffboarding(started, started.AddDays(30), "tenant-admin-x", "TenantAdmin", TenantStatus.Inactive);
        await Catalog.SetOffboardingAsync(tenant.Id, TenantStatus.Offboarding, offboarding, started, null, None);

        // Only a purging tenant becomes a tombstone.
        await Catalog.WriteTombstoneAsync(tenant.Id, started.AddDays(31), None);
        Assert.Equal(TenantStatus.Offboarding, (await Catalog.GetTenantAsync(tenant.Id, None))!.Status);
        Assert.Equal(user, (await Catalog.GetTenantUserAsync(user, None))!.UserName);

        var purging = started.AddDays(30);
        await Catalog.SetTenantStatusAsync(tenant.Id, TenantStatus.Purging, purging, started, None);
        var purged = started.AddDays(31);
        await Catalog.WriteTombstoneAsync(tenant.Id, purged, None);
        await Catalog.WriteTombstoneAsync(tenant.Id, purged.AddDays(1), None);

        var tombstone = Stored(tenant with
        {
            TenantEmail = string.Empty,
            TenantPhone = null,
            TenantAddress = null,
            Status = TenantStatus.Purged,
            UpdatedAt = purged,
            Offboarding = offboarding,
        });
        Assert.Equal(tombstone, await Catalog.GetTenantAsync(tenant.Id, None));
        Assert.Null(await Catalog.GetTenantUserAsync(user, None));
        Assert.Equal(new TenantUserMapping(neighbour.Id, neighbourUser, true), await Catalog.GetTenantUserAsync(neighbourUser, None));

        var again = NewTenant(tenant.TenantName.ToUpperInvariant());
        Assert.True(await Catalog.TryInsertTenantAsync(again, None));
        Assert.Equal(tombstone, await Catalog.GetTenantAsync(tenant.Id, None));
    }

    [SkippableFact]
    public async Task ListingLeavesPurgedTenantsOutUnlessAskedAndListsOneStatusWhenAsked()
    {
        var marker = Marker();
        var active = NewTenant($"Active {marker}");
        var offboarding = NewTenant($"Offboarding {marker}");
        var purged = NewTenant($"Purged {marker}");
        foreach (var tenant in new[] { active, offboarding, purged })
        {
            Assert.True(await Catalog.TryInsertTenantAsync(tenant, None));
        }

        var when = Truncated(active.UpdatedAt.AddMinutes(1));
        var record = new TenantOffboarding(when, when.AddDays(30), "admin", "SystemAdmin", TenantStatus.Active);
        await Catalog.SetOffboardingAsync(offboarding.Id, TenantStatus.Offboarding, record, when, null, None);
        await Catalog.SetOffboardingAsync(purged.Id, TenantStatus.Offboarding, record, when, null, None);
        await Catalog.SetTenantStatusAsync(purged.Id, TenantStatus.Purging, when.AddDays(30), null, None);
        await Catalog.WriteTombstoneAsync(purged.Id, when.AddDays(31), None);

        Assert.Equal([active.Id, offboarding.Id], (await Catalog.ListTenantsAsync(10, null, marker, null, None)).Items.Select(tenant => tenant.Id));
        Assert.Equal([offboarding.Id], (await Catalog.ListTenantsAsync(10, null, marker, TenantStatus.Offboarding, None)).Items.Select(tenant => tenant.Id));
        Assert.Equal([purged.Id], (await Catalog.ListTenantsAsync(10, null, marker, TenantStatus.Purged, None)).Items.Select(tenant => tenant.Id));
        Assert.Empty((await Catalog.ListTenantsAsync(10, null, marker, TenantStatus.Inactive, None)).Items);

        var (seen, pageSizes) = await ReadAllAsync(token => Catalog.ListTenantsAsync(1, token, marker, TenantStatus.Active, None));
        Assert.Equal([active.Id], seen.Select(tenant => tenant.Id));
        Assert.Equal([1], pageSizes);
    }

    [SkippableFact]
    public async Task ListingTenantsFiltersByNameIgnoringCase()
    {
        var marker = Marker();
        var wanted = NewTenant($"Blue Harbor {marker}");
        await Catalog.TryInsertTenantAsync(wanted, None);
        await Catalog.TryInsertTenantAsync(NewTenant($"Red Mill {marker}"), None);

        var page = await Catalog.ListTenantsAsync(10, null, $"HARBOR {marker.ToUpperInvariant()}", null, None);

        Assert.Equal([wanted.Id], page.Items.Select(tenant => tenant.Id));
    }

    [SkippableFact]
    public async Task ASearchMatchesAPartOfTheNameTheAdminEmailOrTheTenantIdAndTheCountMatchesToo()
    {
        var marker = Marker();
        var byName = NewTenant($"Search {marker}");
        var byEmail = NewTenant(Unique("Mailed")) with { TenantEmail = $"Owner.{marker}@Example.com" };
        var neither = NewTenant(Unique("Neither"));
        foreach (var tenant in new[] { byName, byEmail, neither })
        {
            Assert.True(await Catalog.TryInsertTenantAsync(tenant, None));
        }

        var query = new TenantQuery($" {marker.ToUpperInvariant()} ");
        Assert.Equal(
            new[] { byName.Id, byEmail.Id }.Order(StringComparer.Ordinal),
            (await Catalog.ListTenantsAsync(query, 10, null, None)).Items.Select(tenant => tenant.Id).Order(StringComparer.Ordinal));
        Assert.Equal(2, await Catalog.CountTenantsAsync(query, None));

        var byId = new TenantQuery(neither.Id[4..20].ToUpperInvariant());
        Assert.Equal([neither.Id], (await Catalog.ListTenantsAsync(byId, 10, null, None)).Items.Select(tenant => tenant.Id));
        Assert.Equal(1, await Catalog.CountTenantsAsync(byId, None));

        // Wildcards are matched literally.
        Assert.Equal(0, await Catalog.CountTenantsAsync(new TenantQuery(marker + "%"), None));
    }

    [SkippableFact]
    public async Task ListingFiltersByTierAndStatusAndSortsByEachKeyBothWaysAcrossPages()
    {
        var marker = Marker();
        var start = DateTimeOffset.UtcNow;
        var tenants = new[]
        {
            NewTenant($"Delta {marker}") with { TenantTier = "Standard", CreatedAt = start.AddMinutes(1) },
            NewTenant($"alpha {marker}") with { TenantTier = "Basic", CreatedAt = start.AddMinutes(4) },
            NewTenant($"Charlie {marker}") with { TenantTier = "Premium", CreatedAt = start.AddMinutes(2) },
            NewTenant($"bravo {marker}") with { TenantTier = "Platinum", CreatedAt = start.AddMinutes(3) },
            NewTenant($"Echo {marker}", TenantStatus.Inactive) with { TenantTier = "Premium", CreatedAt = start.AddMinutes(5) },
        };
        foreach (var tenant in tenants)
        {
            Assert.True(await Catalog.TryInsertTenantAsync(tenant, None));
        }

        var (delta, alpha, charlie, bravo, echo) = (tenants[0].Id, tenants[1].Id, tenants[2].Id, tenants[3].Id, tenants[4].Id);
        async Task<List<string>> All(TenantQuery query) =>
            [.. (await ReadAllAsync(token => Catalog.ListTenantsAsync(query, 2, token, None))).Items.Select(tenant => tenant.Id)];

        Assert.Equal([alpha, bravo, charlie, delta, echo], await All(new TenantQuery(marker)));
        Assert.Equal([echo, delta, charlie, bravo, alpha], await All(new TenantQuery(marker, Descending: true)));
        Assert.Equal([delta, charlie, bravo, alpha, echo], await All(new TenantQuery(marker, Sort: TenantSort.Created)));
        Assert.Equal([echo, alpha, bravo, charlie, delta], await All(new TenantQuery(marker, Sort: TenantSort.Created, Descending: true)));

        // By plan in the plans' order (Basic, Standard, Premium, Platinum), not alphabetically; then by name.
        Assert.Equal([alpha, delta, charlie, echo, bravo], await All(new TenantQuery(marker, Sort: TenantSort.Tier)));
        Assert.Equal([bravo, echo, charlie, delta, alpha], await All(new TenantQuery(marker, Sort: TenantSort.Tier, Descending: true)));
        Assert.Equal([charlie, echo], await All(new TenantQuery(marker, Tier: "Premium")));
        Assert.Equal([echo], await All(new TenantQuery(marker, TenantStatus.Inactive, "Premium")));
        Assert.Equal(2, await Catalog.CountTenantsAsync(new TenantQuery(marker, Tier: "Premium"), None));
        Assert.Equal(1, await Catalog.CountTenantsAsync(new TenantQuery(marker, TenantStatus.Active, "Premium"), None));
    }

    [SkippableFact]
    public async Task APageTokenIsRefusedByAListingWithAnotherSearchFilterOrSort()
    {
        var marker = Marker();
        for (var index = 0; index < 3; index++)
        {
            Assert.True(await Catalog.TryInsertTenantAsync(NewTenant($"Token {index} {marker}"), None));
        }

        var issuedFor = new TenantQuery(marker);
        var token = (await Catalog.ListTenantsAsync(issuedFor, 1, null, None)).NextToken;

        Assert.NotNull(token);
        Assert.Single((await Catalog.ListTenantsAsync(issuedFor, 1, token, None)).Items);
        foreach (var other in new[]
        {
            issuedFor with { Search = marker + " 1" },
            issuedFor with { Status = TenantStatus.Active },
            issuedFor with { Tier = "Basic" },
            issuedFor with { Sort = TenantSort.Created },
            issuedFor with { Descending = true },
        })
        {
            await Assert.ThrowsAsync<InvalidPageTokenException>(() => Catalog.ListTenantsAsync(other, 1, token, None));
        }
    }

    [SkippableFact]
    public async Task ListingTenantsPagesThroughEveryTenantExactlyOnce()
    {
        var marker = Marker();
        var ids = new List<string>();
        for (var index = 0; index < 5; index++)
        {
            var tenant = NewTenant($"Paged {index} {marker}");
            await Catalog.TryInsertTenantAsync(tenant, None);
            ids.Add(tenant.Id);
        }

        var (seen, pageSizes) = await ReadAllAsync(token => Catalog.ListTenantsAsync(2, token, marker, null, None));

        // Not exact sizes: a store that filters may return a short page before the last.
        Assert.Equal(3, pageSizes.Count);
        Assert.All(pageSizes, size => Assert.InRange(size, 0, 2));
        Assert.Equal(ids, seen.Select(tenant => tenant.Id));
    }

    [SkippableFact]
    public async Task APageTokenThatWasNotIssuedIsRefusedByEveryListing()
    {
        var database = Databases.Open(await NewChildAsync());

        // Made up, not even base64, and well-formed but holding one key where a token holds two.
        foreach (var token in new[] { "not-a-token", "%%%", PageTokens.Encode("only one key") })
        {
            await Assert.ThrowsAsync<InvalidPageTokenException>(() => Catalog.ListTenantsAsync(10, token, null, null, None));
            await Assert.ThrowsAsync<InvalidPageTokenException>(() => database.ListProductsAsync(10, token, None));
            await Assert.ThrowsAsync<InvalidPageTokenException>(() => database.ListOrdersAsync(10, token, None));
        }
    }

    [SkippableFact]
    public async Task SettingATenantsStatusChangesThatTenantOnly()
    {
        var tenant = NewTenant(Unique("Status"), TenantStatus.Provisioning);
        var other = NewTenant(Unique("Other"));
        await Catalog.TryInsertTenantAsync(tenant, None);
        await Catalog.TryInsertTenantAsync(other, None);
        var later = tenant.UpdatedAt.AddSeconds(30);

        Assert.Equal(TenantUpdateOutcome.Updated, (await Catalog.SetTenantStatusAsync(tenant.Id, TenantStatus.Active, later, null, None)).Outcome);
        Assert.Equal(TenantUpdateOutcome.NotFound, (await Catalog.SetTenantStatusAsync(TenantIds.New(), TenantStatus.Active, later, null, None)).Outcome);

        var read = await Catalog.GetTenantAsync(tenant.Id, None);
        Assert.Equal(TenantStatus.Active, read!.Status);
        Assert.Equal(Truncated(later), read.UpdatedAt);
        Assert.Equal(Stored(other), await Catalog.GetTenantAsync(other.Id, None));
    }

    [SkippableFact]
    public async Task ConcurrentRegistrationsOfOneNameLetExactlyOneWin()
    {
        var name = Unique("Race");
        var tenants = Enumerable.Range(0, 8).Select(_ => NewTenant(name)).ToList();

        var results = await Task.WhenAll(tenants.Select(tenant => Task.Run(() => Catalog.TryInsertTenantAsync(tenant, None))));

        Assert.Single(results, inserted => inserted);
        var winner = tenants[Array.IndexOf(results, true)];
        var page = await Catalog.ListTenantsAsync(10, null, name, null, None);
        Assert.Equal([winner.Id], page.Items.Select(tenant => tenant.Id));
    }

    [SkippableFact]
    public async Task DeletingATenantRemovesItAndItsMappingsAndCanBeRepeated()
    {
        var tenant = NewTenant(Unique("Doomed"));
        var other = NewTenant(Unique("Survivor"));
        await Catalog.TryInsertTenantAsync(tenant, None);
        await Catalog.TryInsertTenantAsync(other, None);
        var user = "user-" + tenant.Id;
        var otherUser = "user-" + other.Id;
        await Catalog.UpsertTenantUserAsync(new TenantUserMapping(tenant.Id, user, true), None);
        await Catalog.UpsertTenantUserAsync(new TenantUserMapping(other.Id, otherUser, true), None);

        await Catalog.DeleteTenantAsync(tenant.Id, None);
        await Catalog.DeleteTenantAsync(tenant.Id, None);

        Assert.Null(await Catalog.GetTenantAsync(tenant.Id, None));
        Assert.Null(await Catalog.GetTenantUserAsync(user, None));
        Assert.NotNull(await Catalog.GetTenantAsync(other.Id, None));
        Assert.Equal(new TenantUserMapping(other.Id, otherUser, true), await Catalog.GetTenantUserAsync(otherUser, None));

        // The name is free again.
        Assert.True(await Catalog.TryInsertTenantAsync(NewTenant(tenant.TenantName), None));
    }

    // ---- tenant-user mappings ----

    [SkippableFact]
    public async Task AMappingIsAddedReplacedAndRemoved()
    {
        var firstTenant = TenantIds.New();
        var secondTenant = TenantIds.New();
        var user = "user-" + Marker();

        await Catalog.UpsertTenantUserAsync(new TenantUserMapping(firstTenant, user, true), None);
        Assert.Equal(new TenantUserMapping(firstTenant, user, true), await Catalog.GetTenantUserAsync(user, None));

        await Catalog.UpsertTenantUserAsync(new TenantUserMapping(secondTenant, user, false), None);
        Assert.Equal(new TenantUserMapping(secondTenant, user, false), await Catalog.GetTenantUserAsync(user, None));

        await Catalog.RemoveTenantUserAsync(user, None);
        await Catalog.RemoveTenantUserAsync(user, None);
        Assert.Null(await Catalog.GetTenantUserAsync(user, None));
    }

    [SkippableFact]
    public async Task DisablingATenantsUsersTouchesThatTenantOnly()
    {
        var tenant = TenantIds.New();
        var other = TenantIds.New();
        var users = new[] { "ann-" + tenant, "bob-" + tenant };
        var bystander = "cat-" + other;
        foreach (var user in users)
        {
            await Catalog.UpsertTenantUserAsync(new TenantUserMapping(tenant, user, true), None);
        }

        await Catalog.UpsertTenantUserAsync(new TenantUserMapping(other, bystander, true), None);

        var disabled = await Catalog.SetTenantUsersEnabledAsync(tenant, false, None);

        Assert.Equal(users.Order(StringComparer.Ordinal), disabled.Order(StringComparer.Ordinal));
        foreach (var user in users)
        {
            Assert.False((await Catalog.GetTenantUserAsync(user, None))!.Enabled);
        }

        Assert.True((await Catalog.GetTenantUserAsync(bystander, None))!.Enabled);

        var enabled = await Catalog.SetTenantUsersEnabledAsync(tenant, true, None);
        Assert.Equal(users.Order(StringComparer.Ordinal), enabled.Order(StringComparer.Ordinal));
        Assert.True((await Catalog.GetTenantUserAsync(users[0], None))!.Enabled);
        Assert.Empty(await Catalog.SetTenantUsersEnabledAsync(TenantIds.New(), false, None));
    }

    [SkippableFact]
    public async Task ATenantsMappingsAreListedPageByPageAndNoOtherTenants()
    {
        var tenant = TenantIds.New();
        var other = TenantIds.New();
        var users = new[] { "ann-" + tenant, "bob-" + tenant, "cat-" + tenant };
        foreach (var user in users)
        {
            await Catalog.UpsertTenantUserAsync(new TenantUserMapping(tenant, user, user != users[1]), None);
        }

        await Catalog.UpsertTenantUserAsync(new TenantUserMapping(other, "dan-" + other, true), None);

        var first = await Catalog.ListTenantUsersAsync(tenant, 2, null, None);
        Assert.Equal(2, first.Items.Count);
        Assert.NotNull(first.NextToken);
        var second = await Catalog.ListTenantUsersAsync(tenant, 2, first.NextToken, None);
        Assert.Null(second.NextToken);
        Assert.Equal(
            users.Select(user => new TenantUserMapping(tenant, user, user != users[1])),
            first.Items.Concat(second.Items).OrderBy(mapping => mapping.UserName, StringComparer.Ordinal));
        var none = await Catalog.ListTenantUsersAsync(TenantIds.New(), 2, null, None);
        Assert.Equal((0, null), (none.Items.Count, none.NextToken));
    }

    [SkippableFact]
    public async Task ABulkChangeWritesTheEventOfEachUserWhoseMappingItChangesInTheRecordsWriteAndNoneForTheOthers()
    {
        var tenant = TenantIds.New();
        string on = "on-" + tenant, off = "off-" + tenant;
        await Catalog.UpsertTenantUserAsync(new TenantUserMapping(tenant, on, true), None);
        await Catalog.UpsertTenantUserAsync(new TenantUserMapping(tenant, off, false), None);
        Dictionary<string, LifecycleEvent> Events(string type) => new[] { on, off, "nobody-" + tenant }.ToDictionary(
            name => name, name => new LifecycleEvent(Guid.CreateVersion7().ToString(), type, tenant, Truncated(DateTimeOffset.UtcNow), $$"""{"userName":"{{name}}"}"""));

        var disable = Events("u.disabled");
        var names = await Catalog.SetTenantUsersEnabledAsync(tenant, false, Record(tenant, "users disable", "t.bulk"), disable, None);
        await Catalog.SetTenantUsersEnabledAsync(tenant, false, Record(tenant, "users disable"), Events("u.disabled"), None);
        var enable = Events("u.enabled");
        await Catalog.SetTenantUsersEnabledAsync(tenant, true, Record(tenant, "users enable"), enable, None);

        Assert.Equal([off, on], names.Order(StringComparer.Ordinal));
        var outbox = await Catalog.ListOutboxAsync(tenant, 0, 100, None);
        Assert.Equal(["t.bulk", "u.disabled", "u.enabled", "u.enabled"], outbox.Select(e => e.Type));
        Assert.Equal([disable[on].Id, enable[off].Id, enable[on].Id], outbox.Skip(1).Select(e => e.Id));
        Assert.Equal([1L, 2, 3, 4], outbox.Select(e => e.Sequence));
        Assert.Equal(
            ["users enable", "users disable", "users disable"],
            (await Catalog.ListAuditAsync(new AuditQuery(TenantId: tenant), 100, null, None)).Items.Select(entry => entry.Action));
        Assert.True((await Catalog.GetTenantUserAsync(off, None))!.Enabled);
    }

    // ---- onboarding journal ----

    [SkippableFact]
    public async Task AJournalIsWrittenUpdatedListedAndDeleted()
    {
        var tenantId = TenantIds.New();
        var started = Truncated(DateTimeOffset.UtcNow);
        await Catalog.WriteJournalAsync(new OnboardingJournal(tenantId, "Journal Co", "instance-1", ["ReserveName"], started), None);
        var updated = new OnboardingJournal(tenantId, "Journal Co", "instance-2", ["ReserveName", "CreateChild"], started.AddSeconds(1));

        await Catalog.WriteJournalAsync(updated, None);

        var journal = Assert.Single(await Catalog.ListJournalsAsync(None), entry => entry.TenantId == tenantId);
        Assert.Equal(updated.InstanceId, journal.InstanceId);
        Assert.Equal(updated.TenantName, journal.TenantName);
        Assert.Equal(updated.StepsStarted, journal.StepsStarted);
        Assert.Equal(updated.UpdatedAt, journal.UpdatedAt);

        await Catalog.DeleteJournalAsync(tenantId, None);
        await Catalog.DeleteJournalAsync(tenantId, None);
        Assert.DoesNotContain(await Catalog.ListJournalsAsync(None), entry => entry.TenantId == tenantId);
    }

    // ---- access revisions ----

    /// <summary>Whether the store keeps access revisions: one shared by instances does, the embedded store (one process) does not.</summary>
    protected virtual bool KeepsAccessRevisions => true;

    [SkippableFact]
    public async Task EachBumpMovesOnlyItsTenantsAccessRevision()
    {
        var tenant = TenantIds.New();
        var other = TenantIds.New();
        Assert.Equal(0, await Catalog.GetAccessRevisionAsync(tenant, None));

        await Catalog.BumpAccessRevisionAsync(tenant, None);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Catalog.BumpAccessRevisionAsync(tenant, None))));

        Assert.Equal(KeepsAccessRevisions ? 5 : 0, await Catalog.GetAccessRevisionAsync(tenant, None));
        Assert.Equal(0, await Catalog.GetAccessRevisionAsync(other, None));
    }

    // ---- shared rate-limit windows ----

    [SkippableFact]
    public async Task PermitsAreTakenUpToTheWindowsLimitAndALaterWindowStartsAgain()
    {
        var key = Unique("permits");
        var window = Truncated(DateTimeOffset.UtcNow);

        Assert.Equal(4, await Catalog.TakePermitsAsync(key, window, 10, 4, None));
        Assert.Equal(4, await Catalog.TakePermitsAsync(key, window, 10, 4, None));
        Assert.Equal(2, await Catalog.TakePermitsAsync(key, window, 10, 4, None));
        Assert.Equal(0, await Catalog.TakePermitsAsync(key, window, 10, 1, None));

        // The next window starts from nothing; a caller still in the earlier one is charged to it.
        Assert.Equal(3, await Catalog.TakePermitsAsync(key, window.AddMinutes(1), 10, 3, None));
        Assert.Equal(7, await Catalog.TakePermitsAsync(key, window, 10, 9, None));
        Assert.Equal(0, await Catalog.TakePermitsAsync(key, window.AddMinutes(1), 10, 1, None));
        Assert.Equal(5, await Catalog.TakePermitsAsync(Unique("other permits"), window, 10, 5, None));
    }

    [SkippableFact]
    public async Task ManyTakersAtOnceGetNoMoreThanTheWindowsLimit()
    {
        var key = Unique("contested permits");
        var window = Truncated(DateTimeOffset.UtcNow);

        var taken = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => Catalog.TakePermitsAsync(key, window, 20, 3, None))));

        Assert.Equal(20, taken.Sum());
    }

    // ---- leases ----

    [SkippableFact]
    public async Task ALeaseIsHeldByOneHolderUntilItExpiresOrIsGivenUp()
    {
        var lease = Unique("lease");
        var now = Truncated(DateTimeOffset.UtcNow);
        var minute = TimeSpan.FromMinutes(1);

        Assert.True(await Catalog.TryTakeLeaseAsync(lease, "a", now, minute, None));
        Assert.False(await Catalog.TryTakeLeaseAsync(lease, "b", now.AddSeconds(59), minute, None));
        Assert.True(await Catalog.TryTakeLeaseAsync(lease, "a", now.AddSeconds(30), minute, None));

        // Renewed at 30 s: still a's at 89 s; expired at 90 s, when b takes it and a no longer can.
        Assert.False(await Catalog.TryTakeLeaseAsync(lease, "b", now.AddSeconds(89), minute, None));
        Assert.True(await Catalog.TryTakeLeaseAsync(lease, "b", now.AddSeconds(90), minute, None));
        Assert.False(await Catalog.TryTakeLeaseAsync(lease, "a", now.AddSeconds(91), minute, None));

        // Given up (an expiry of now): anyone may take it at once.
        Assert.True(await Catalog.TryTakeLeaseAsync(lease, "b", now.AddSeconds(92), TimeSpan.Zero, None));
        Assert.True(await Catalog.TryTakeLeaseAsync(lease, "a", now.AddSeconds(92), minute, None));
        Assert.True(await Catalog.TryTakeLeaseAsync(Unique("other lease"), "b", now, minute, None));
    }

    [SkippableFact]
    public async Task OfManyTakersAtOnceOneGetsTheLease()
    {
        var lease = Unique("contested");
        var now = DateTimeOffset.UtcNow;

        var taken = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Catalog.TryTakeLeaseAsync(lease, "holder-" + i, now, TimeSpan.FromMinutes(1), None))));

        Assert.Single(taken, held => held);
    }

    [SkippableFact]
    public async Task TheCatalogAnswersAPing()
    {
        await Catalog.PingAsync(None);
        await Catalog.InitializeAsync(None);
        Assert.True(await Catalog.TryInsertTenantAsync(NewTenant(Unique("After re-initialize")), None));
    }

    // ---- child databases ----

    [SkippableFact]
    public async Task AChildExistsOnceCreatedAndNotAfterItIsDeleted()
    {
        // An upgrade answers null for a tenant without a child database (what the migrate command reports).
        var tenantId = TenantIds.New();
        Assert.Null(await Databases.UpgradeAsync(tenantId, None));

        await Databases.CreateAsync(tenantId, None);
        var upgrade = await Databases.UpgradeAsync(tenantId, None);
        Assert.NotNull(upgrade);
        Assert.False(upgrade.Value.Changed);
        Assert.Empty((await Databases.Open(tenantId).ListProductsAsync(10, null, None)).Items);

        await Databases.DeleteAsync(tenantId, None);
        await Databases.DeleteAsync(tenantId, None);
        Assert.Null(await Databases.UpgradeAsync(tenantId, None));
    }

    [SkippableFact]
    public async Task DeletingAChildThatNeverExistedIsHarmless()
    {
        var tenantId = TenantIds.New();

        await Databases.DeleteAsync(tenantId, None);

        Assert.Null(await Databases.UpgradeAsync(tenantId, None));
    }

    [SkippableFact]
    public async Task CreatingAChildTwiceFailsAndKeepsTheFirst()
    {
        var tenantId = await NewChildAsync();
        var product = await CreateProductAsync(tenantId, Draft("SKU-KEEP"));

        await Assert.ThrowsAnyAsync<Exception>(() => Databases.CreateAsync(tenantId, None));

        Assert.Equal(product, await Databases.Open(tenantId).GetProductAsync(product.Id, None));
    }

    [SkippableFact]
    public async Task ARecreatedChildStartsEmpty()
    {
        var tenantId = await NewChildAsync();
        await CreateProductAsync(tenantId, Draft("SKU-OLD"));

        await Databases.DeleteAsync(tenantId, None);
        await Databases.CreateAsync(tenantId, None);

        Assert.Empty((await Databases.Open(tenantId).ListProductsAsync(10, null, None)).Items);
    }

    [SkippableFact]
    public async Task AChildClientSeesOnlyItsOwnTenantsData()
    {
        var tenantA = await NewChildAsync();
        var tenantB = await NewChildAsync();
        var productA = await CreateProductAsync(tenantA, Draft("SKU-A"));
        var orderedA = await CreateProductAsync(tenantA, Draft("SKU-O", quantity: 5));
        var databaseA = Databases.Open(tenantA);
        var orderA = (await databaseA.CreateOrderAsync("A's order", [new(orderedA.Id, 1)], None)).Order!;
        var databaseB = Databases.Open(tenantB);

        Assert.Null(await databaseB.GetProductAsync(productA.Id, None));
        Assert.Null(await databaseB.GetOrderAsync(orderA.Id, None));
        Assert.Empty((await databaseB.ListProductsAsync(10, null, None)).Items);
        Assert.Empty((await databaseB.ListOrdersAsync(10, null, None)).Items);
        Assert.Equal(WriteOutcome.NotFound, await databaseB.DeleteProductAsync(productA.Id, null, None));
        Assert.Equal(WriteOutcome.NotFound, (await databaseB.DeleteOrderAsync(orderA.Id, null, None)).Outcome);
        Assert.Equal(WriteOutcome.NotFound, (await databaseB.UpdateOrderAsync(orderA.Id, null, OrderStatus.Cancelled, null, None)).Outcome);
        Assert.Equal(WriteOutcome.NotFound, (await databaseB.UpdateProductAsync(productA.Id, Draft("SKU-A"), null, None)).Outcome);
        Assert.Equal(productA.Id, (await databaseB.CreateOrderAsync("Theft", [new(productA.Id, 1)], None)).MissingProductId);

        // A's rows are untouched: the stock its order took stays taken, and the order is still processing.
        Assert.Equal(productA, await databaseA.GetProductAsync(productA.Id, None));
        Assert.Equal(4, (await databaseA.GetProductAsync(orderedA.Id, None))!.Quantity);
        Assert.Equal(OrderStatus.Processing, (await databaseA.GetOrderAsync(orderA.Id, None))!.Status);
    }

    // ---- import ----

    [SkippableFact]
    public async Task ImportedProductsAndOrdersReadBackWithTheirIdsStampsStockLinesAndStatuses()
    {
        var database = Databases.Open(await NewChildAsync());
        var created = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1234560);
        var pen = new Product(RecordId(), "Pen", "Blue", "PEN-1", 10.50m, 7, 9, created, created.AddDays(1));
        var pad = new Product(RecordId(), "Pad", null, "PAD-1", 0m, 0, 0, created.AddSeconds(1), created.AddSeconds(1));
        var shipped = new Order(RecordId(), "Shipped", created.AddHours(1), OrderStatus.Shipped,
            [new OrderLine(pen.Id, "Pen", "PEN-1", "Blue", 2, 10.50m), new OrderLine(pad.Id, "Pad", "PAD-1", null, 1, 0.10m)]);
        var cancelled = new Order(RecordId(), "Cancelled", created.AddHours(2), OrderStatus.Cancelled, [new OrderLine(RecordId(), "Gone", "GONE-1", null, 3, 999999999.99m)]);
        Assert.True(Databases.KeepsRecordId(pen.Id));

        await database.ImportAsync([pen, pad], [shipped], None);
        await database.ImportAsync([], [cancelled], None);

        Assert.Equal([pen, pad], (await database.ListProductsAsync(10, null, None)).Items);
        Assert.Equal(pen, await database.GetProductAsync(pen.Id, None));
        var orders = (await database.ListOrdersAsync(10, null, None)).Items;
        Assert.Equal([Shape(cancelled), Shape(shipped)], orders.Select(Shape));
        Assert.Equal(Shape(shipped), Shape((await database.GetOrderAsync(shipped.Id, None))!));

        // Nothing was taken from stock, and the imported records are like any other: an order takes their stock.
        Assert.Equal(7, (await database.GetProductAsync(pen.Id, None))!.Quantity);
        var placed = await database.CreateOrderAsync("After", [new(pen.Id, 3)], None);
        Assert.NotNull(placed.Order);
        Assert.Equal(4, (await database.GetProductAsync(pen.Id, None))!.Quantity);
    }

    [SkippableFact]
    public async Task AnImportWithATakenIdOrSkuWritesNoneOfItsRecords()
    {
        var database = Databases.Open(await NewChildAsync());
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var first = new Product(RecordId(), "First", null, "ONE", 1m, 1, 0, now, now);
        await database.ImportAsync([first], [], None);
        var fresh = new Product(RecordId(), "Fresh", null, "FRESH", 1m, 1, 0, now, now);
        var order = new Order(RecordId(), "Order", now, OrderStatus.Processing, [new OrderLine(fresh.Id, "Fresh", "FRESH", null, 1, 1m)]);

        await Assert.ThrowsAnyAsync<Exception>(() => database.ImportAsync([fresh, first with { Sku = "OTHER" }], [order], None));
        await Assert.ThrowsAnyAsync<Exception>(() => database.ImportAsync([fresh, new Product(RecordId(), "Copy", null, "one", 1m, 1, 0, now, now)], [order], None));

        Assert.Equal([first], (await database.ListProductsAsync(10, null, None)).Items);
        Assert.Empty((await database.ListOrdersAsync(10, null, None)).Items);
    }

    /// <summary>An id every store keeps: Fauna's are 64-bit numbers in digits.</summary>
    private static string RecordId() => Random.Shared.NextInt64(1_000_000_000_000, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static (string, string, DateTimeOffset, string, string) Shape(Order order) => (
        order.Id,
        order.OrderName,
        order.CreationDate,
        order.Status,
        string.Join("|", order.OrderProducts.Select(line => $"{line.ProductId},{line.ProductName},{line.ProductSku},{line.ProductDescription},{line.Quantity},{line.Price}")));

    // ---- products ----

    [SkippableFact]
    public async Task ACreatedProductReadsBackWithBackorderedComputed()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);

        var write = await database.CreateProductAsync(new ProductDraft("Widget", "A fine widget", "W-1", 19.99m, 3, 5), None);

        Assert.Equal(WriteOutcome.Done, write.Outcome);
        var product = write.Product!;
        Assert.Equal(("Widget", "A fine widget", "W-1", 19.99m, 3, 5), (product.Name, product.Description, product.Sku, product.Price, product.Quantity, product.BackorderedLimit));
        Assert.True(product.Backordered);
        Assert.Equal(product, await database.GetProductAsync(product.Id, None));
        Assert.Null(await database.GetProductAsync("no-such-product", None));

        var stocked = await database.CreateProductAsync(new ProductDraft("Gadget", null, "G-1", 0m, 5, 5), None);
        Assert.False(stocked.Product!.Backordered);
        Assert.Null((await database.GetProductAsync(stocked.Product.Id, None))!.Description);
    }

    [SkippableFact]
    public async Task ASkuIsUniqueWithinATenantButNotAcrossTenants()
    {
        var tenantA = await NewChildAsync();
        var tenantB = await NewChildAsync();
        await CreateProductAsync(tenantA, Draft("SKU-1"));

        var again = await Databases.Open(tenantA).CreateProductAsync(Draft("SKU-1", name: "Copy"), None);
        var elsewhere = await Databases.Open(tenantB).CreateProductAsync(Draft("SKU-1"), None);

        Assert.Equal(WriteOutcome.Conflict, again.Outcome);
        Assert.Single((await Databases.Open(tenantA).ListProductsAsync(10, null, None)).Items);
        Assert.Equal(WriteOutcome.Done, elsewhere.Outcome);
    }

    [SkippableFact]
    public async Task UpdatingAProductReplacesItsFieldsUnlessTheSkuIsTaken()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var product = await CreateProductAsync(tenantId, Draft("SKU-1"));
        var other = await CreateProductAsync(tenantId, Draft("SKU-2"));

        var updated = await database.UpdateProductAsync(product.Id, new ProductDraft("Renamed", "New text", "SKU-1", 5.25m, 1, 4), null, None);
        var clash = await database.UpdateProductAsync(product.Id, Draft("SKU-2"), null, None);
        var missing = await database.UpdateProductAsync("no-such-product", Draft("SKU-9"), null, None);

        Assert.Equal(WriteOutcome.Done, updated.Outcome);
        Assert.Equal(("Renamed", "New text", "SKU-1", 5.25m, 1, 4, true), (updated.Product!.Name, updated.Product.Description, updated.Product.Sku, updated.Product.Price, updated.Product.Quantity, updated.Product.BackorderedLimit, updated.Product.Backordered));
        Assert.Equal(product.Id, updated.Product.Id);
        Assert.Equal(product.CreatedAt, updated.Product.CreatedAt);
        Assert.Equal(WriteOutcome.Conflict, clash.Outcome);
        Assert.Equal(WriteOutcome.NotFound, missing.Outcome);
        Assert.Equal(updated.Product, await database.GetProductAsync(product.Id, None));
        Assert.Equal(other, await database.GetProductAsync(other.Id, None));
    }

    [SkippableFact]
    public async Task DeletingAProductRemovesItOnce()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var product = await CreateProductAsync(tenantId, Draft("SKU-1"));

        Assert.Equal(WriteOutcome.Done, await database.DeleteProductAsync(product.Id, null, None));
        Assert.Equal(WriteOutcome.NotFound, await database.DeleteProductAsync(product.Id, null, None));
        Assert.Null(await database.GetProductAsync(product.Id, None));
        Assert.Equal(WriteOutcome.NotFound, (await database.UpdateProductAsync(product.Id, Draft("SKU-1"), null, None)).Outcome);

        // Its SKU is free again.
        Assert.Equal(WriteOutcome.Done, (await database.CreateProductAsync(Draft("SKU-1"), None)).Outcome);
    }

    [SkippableFact]
    public async Task ListingProductsPagesThroughEveryProductExactlyOnce()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var ids = new List<string>();
        for (var index = 0; index < 7; index++)
        {
            ids.Add((await CreateProductAsync(tenantId, Draft($"SKU-{index}"))).Id);
        }

        var (seen, pageSizes) = await ReadAllAsync(token => database.ListProductsAsync(3, token, None));

        // In the order they were created, in full pages.
        Assert.Equal([3, 3, 1], pageSizes);
        Assert.Equal(ids, seen.Select(product => product.Id));
    }

    [SkippableFact]
    public async Task PricesReadBackWithTheirTwoDecimals()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var tenner = await CreateProductAsync(tenantId, Draft("T-1", price: 10.50m));
        var dime = await CreateProductAsync(tenantId, Draft("D-1", price: 0.10m, quantity: 30));

        var order = (await database.CreateOrderAsync("Thirty dimes", [new(dime.Id, 30)], None)).Order!;

        // As text: decimal equality takes 10.5 for 10.50, but the JSON a client gets shows the difference.
        Assert.Equal("10.50", Text((await database.GetProductAsync(tenner.Id, None))!.Price));
        Assert.Equal("3.00", Text(order.Total));
        Assert.Equal("0.10", Text((await database.GetOrderAsync(order.Id, None))!.OrderProducts[0].Price));
    }

    // ---- orders ----

    [SkippableFact]
    public async Task AnOrderIsPricedFromItsProductsAndTakesTheirStock()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var widget = await CreateProductAsync(tenantId, new ProductDraft("Widget", "Round", "W-1", 2.50m, 10, 0));
        var gadget = await CreateProductAsync(tenantId, new ProductDraft("Gadget", null, "G-1", 10.00m, 4, 0));

        var creation = await database.CreateOrderAsync("First order", [new(widget.Id, 3), new(gadget.Id, 4)], None);

        var order = creation.Order!;
        Assert.Null(creation.MissingProductId);
        Assert.Null(creation.ShortProductId);
        Assert.Equal(("First order", OrderStatus.Processing), (order.OrderName, order.Status));
        Assert.Equal(
            [new OrderLine(widget.Id, "Widget", "W-1", "Round", 3, 2.50m), new OrderLine(gadget.Id, "Gadget", "G-1", null, 4, 10.00m)],
            order.OrderProducts);
        Assert.Equal(47.50m, order.Total);
        Assert.InRange(order.CreationDate, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(7, (await database.GetProductAsync(widget.Id, None))!.Quantity);
        Assert.Equal(0, (await database.GetProductAsync(gadget.Id, None))!.Quantity);

        var read = await database.GetOrderAsync(order.Id, None);
        Assert.Equal((order.Id, order.OrderName, order.CreationDate, order.Status), (read!.Id, read.OrderName, read.CreationDate, read.Status));
        Assert.Equal(order.OrderProducts, read.OrderProducts);
        Assert.Null(await database.GetOrderAsync("no-such-order", None));
    }

    [SkippableFact]
    public async Task AnOrderKeepsItsPricesWhenTheProductChangesOrIsDeleted()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var widget = await CreateProductAsync(tenantId, new ProductDraft("Widget", null, "W-1", 2.50m, 10, 0));
        var order = (await database.CreateOrderAsync("Order", [new(widget.Id, 1)], None)).Order!;
        var line = new OrderLine(widget.Id, "Widget", "W-1", null, 1, 2.50m);

        await database.UpdateProductAsync(widget.Id, new ProductDraft("Widget Pro", null, "W-2", 99m, 10, 0), null, None);
        Assert.Equal(line, Assert.Single((await database.GetOrderAsync(order.Id, None))!.OrderProducts));

        Assert.Equal(WriteOutcome.Done, await database.DeleteProductAsync(widget.Id, null, None));
        Assert.Equal(line, Assert.Single((await database.GetOrderAsync(order.Id, None))!.OrderProducts));
    }

    [SkippableFact]
    public async Task AnOrderForAMissingProductChangesNothing()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var widget = await CreateProductAsync(tenantId, Draft("W-1", quantity: 5));

        var creation = await database.CreateOrderAsync("Order", [new(widget.Id, 2), new("no-such-product", 1)], None);

        Assert.Null(creation.Order);
        Assert.Equal("no-such-product", creation.MissingProductId);
        Assert.Equal(5, (await database.GetProductAsync(widget.Id, None))!.Quantity);
        Assert.Empty((await database.ListOrdersAsync(10, null, None)).Items);
    }

    [SkippableFact]
    public async Task AnOrderWithTooLittleStockChangesNothing()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var plenty = await CreateProductAsync(tenantId, Draft("P-1", quantity: 50));
        var scarce = await CreateProductAsync(tenantId, Draft("S-1", quantity: 3));

        // Two lines of the same product count together: 2 + 2 > 3.
        var creation = await database.CreateOrderAsync("Order", [new(plenty.Id, 10), new(scarce.Id, 2), new(scarce.Id, 2)], None);

        Assert.Null(creation.Order);
        Assert.Equal(scarce.Id, creation.ShortProductId);
        Assert.Equal(3, creation.Available);
        Assert.Equal(50, (await database.GetProductAsync(plenty.Id, None))!.Quantity);
        Assert.Equal(3, (await database.GetProductAsync(scarce.Id, None))!.Quantity);
        Assert.Empty((await database.ListOrdersAsync(10, null, None)).Items);
    }

    [SkippableFact]
    public async Task CancellingAnOrderReturnsItsStockOnce()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var widget = await CreateProductAsync(tenantId, Draft("W-1", quantity: 5));

        // Two lines of one product that add up to exactly its stock: both kept, and all the stock taken.
        var order = (await database.CreateOrderAsync("Order", [new(widget.Id, 4), new(widget.Id, 1)], None)).Order!;
        Assert.Equal(2, order.OrderProducts.Count);
        Assert.Equal(0, (await database.GetProductAsync(widget.Id, None))!.Quantity);

        var cancelled = (await database.UpdateOrderAsync(order.Id, null, OrderStatus.Cancelled, null, None)).Order;
        var again = (await database.UpdateOrderAsync(order.Id, "Renamed", OrderStatus.Cancelled, null, None)).Order;

        Assert.Equal((OrderStatus.Cancelled, "Order"), (cancelled!.Status, cancelled.OrderName));

        // Staying cancelled is no change of status, so the new name is taken.
        Assert.Equal((OrderStatus.Cancelled, "Renamed"), (again!.Status, again.OrderName));
        Assert.Equal(5, (await database.GetProductAsync(widget.Id, None))!.Quantity);
        Assert.Equal(OrderStatus.Cancelled, (await database.GetOrderAsync(order.Id, None))!.Status);
    }

    [SkippableFact]
    public async Task ACancelledOrderIsFinalAndARequestToReviveItChangesNothing()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var widget = await CreateProductAsync(tenantId, Draft("W-1", quantity: 10));
        var order = (await database.CreateOrderAsync("Order", [new(widget.Id, 4)], None)).Order!;
        await database.UpdateOrderAsync(order.Id, null, OrderStatus.Cancelled, null, None);

        var revived = await database.UpdateOrderAsync(order.Id, "Revived", OrderStatus.Processing, null, None);

        Assert.Equal((WriteOutcome.TransitionRefused, OrderStatus.Cancelled), (revived.Outcome, revived.CurrentStatus));
        Assert.Equal(("Order", OrderStatus.Cancelled), ((await database.GetOrderAsync(order.Id, None))!.OrderName, (await database.GetOrderAsync(order.Id, None))!.Status));
        Assert.Equal(10, (await database.GetProductAsync(widget.Id, None))!.Quantity);
    }

    [SkippableFact]
    public async Task UpdatingAnOrderChangesItsNameAndStatusButNotItsStock()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var widget = await CreateProductAsync(tenantId, Draft("W-1", quantity: 10));
        var order = (await database.CreateOrderAsync("Order", [new(widget.Id, 4)], None)).Order!;

        var renamed = (await database.UpdateOrderAsync(order.Id, "Renamed", null, null, None)).Order;
        var shipped = (await database.UpdateOrderAsync(order.Id, null, OrderStatus.Shipped, null, None)).Order;
        var delivered = (await database.UpdateOrderAsync(order.Id, "Delivered order", OrderStatus.Delivered, null, None)).Order;

        Assert.Equal(("Renamed", OrderStatus.Processing), (renamed!.OrderName, renamed.Status));
        Assert.Equal(("Renamed", OrderStatus.Shipped), (shipped!.OrderName, shipped.Status));
        Assert.Equal(("Delivered order", OrderStatus.Delivered), (delivered!.OrderName, delivered.Status));
        Assert.Equal(order.OrderProducts, delivered.OrderProducts);
        Assert.Equal(6, (await database.GetProductAsync(widget.Id, None))!.Quantity);
        Assert.Equal(WriteOutcome.NotFound, (await database.UpdateOrderAsync("no-such-order", "Name", null, null, None)).Outcome);
    }

    [SkippableFact]
    public async Task DeletingAProcessingOrderReturnsItsStockAndAShippedOneDoesNot()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var widget = await CreateProductAsync(tenantId, Draft("W-1", quantity: 10));
        var processing = (await database.CreateOrderAsync("Processing", [new(widget.Id, 3)], None)).Order!;
        var shipped = (await database.CreateOrderAsync("Shipped", [new(widget.Id, 2)], None)).Order!;
        await database.UpdateOrderAsync(shipped.Id, null, OrderStatus.Shipped, null, None);

        Assert.Equal(WriteOutcome.Done, (await database.DeleteOrderAsync(processing.Id, null, None)).Outcome);
        Assert.Equal(8, (await database.GetProductAsync(widget.Id, None))!.Quantity);

        Assert.Equal(WriteOutcome.Done, (await database.DeleteOrderAsync(shipped.Id, null, None)).Outcome);
        Assert.Equal(8, (await database.GetProductAsync(widget.Id, None))!.Quantity);

        Assert.Equal(WriteOutcome.NotFound, (await database.DeleteOrderAsync(processing.Id, null, None)).Outcome);
        Assert.Null(await database.GetOrderAsync(processing.Id, None));
        Assert.Empty((await database.ListOrdersAsync(10, null, None)).Items);
    }

    [SkippableFact]
    public async Task ListingOrdersPagesNewestFirstThroughEveryOrderExactlyOnceWithItsLines()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var widget = await CreateProductAsync(tenantId, Draft("W-1", quantity: 100));
        var created = new Dictionary<string, Order>();
        var ids = new List<string>();
        for (var index = 1; index <= 5; index++)
        {
            var order = (await database.CreateOrderAsync($"Order {index}", [new(widget.Id, index)], None)).Order!;
            created[order.Id] = order;
            ids.Add(order.Id);
        }

        var (seen, pageSizes) = await ReadAllAsync(token => database.ListOrdersAsync(2, token, None));

        // The last one placed first.
        Assert.Equal([2, 2, 1], pageSizes);
        Assert.Equal(Enumerable.Reverse(ids), seen.Select(order => order.Id));
        Assert.Equal([49.95m, 39.96m, 29.97m, 19.98m, 9.99m], seen.Select(order => order.Total));
        foreach (var order in seen)
        {
            Assert.Equal(created[order.Id].OrderProducts, order.OrderProducts);
            Assert.Equal(created[order.Id].OrderName, order.OrderName);
        }
    }

    [SkippableFact]
    public async Task OrdersPlacedAtOneInstantPageNewestFirstExactlyOnce()
    {
        var database = Databases.Open(await NewChildAsync());
        var at = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var orders = Enumerable.Range(0, 5)
            .Select(index => new Order(RecordId(), $"Order {index}", index < 4 ? at : at.AddSeconds(1), OrderStatus.Delivered, [new OrderLine(RecordId(), "Pen", "PEN-1", null, 1, 1m)]))
            .ToList();
        await database.ImportAsync([], orders, None);

        var (seen, pageSizes) = await ReadAllAsync(token => database.ListOrdersAsync(2, token, None));

        // Four share their creation time: page boundaries between them neither skip nor repeat one.
        Assert.Equal([2, 2, 1], pageSizes);
        Assert.Equal(orders[4].Id, seen[0].Id);
        Assert.Equal(orders.Select(order => order.Id).Order(), seen.Select(order => order.Id).Order());
    }

    // ---- search ----

    [SkippableFact]
    public async Task AProductSearchMatchesAPartOfTheNameOrSkuIgnoringCaseAcrossPages()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var blue = await CreateProductAsync(tenantId, Draft("PEN-BLUE", name: "Blue Pen"));
        await CreateProductAsync(tenantId, Draft("PAD-1", name: "Notepad"));
        var red = await CreateProductAsync(tenantId, Draft("PEN-RED", name: "Red marker"));
        var gel = await CreateProductAsync(tenantId, Draft("GEL-9", name: "Gel PEN refill"));

        var (seen, pageSizes) = await ReadAllAsync(token => database.ListProductsAsync(new ProductQuery("pen"), 2, token, None));

        // By name (Blue Pen, Gel PEN refill) or by SKU (PEN-RED), in creation order; Notepad holds neither.
        Assert.Equal([blue.Id, red.Id, gel.Id], seen.Select(product => product.Id));
        Assert.Equal(2, pageSizes.Count);
        Assert.Equal([red.Id], (await database.ListProductsAsync(new ProductQuery("  n-re "), 10, null, None)).Items.Select(product => product.Id));
        Assert.Empty((await database.ListProductsAsync(new ProductQuery("pencil"), 10, null, None)).Items);
        Assert.Equal(4, (await database.ListProductsAsync(new ProductQuery("   "), 10, null, None)).Items.Count);
    }

    [SkippableFact]
    public async Task ASearchMatchesPercentAndUnderscoreAsThemselves()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var percent = await CreateProductAsync(tenantId, Draft("OFF-1", name: "50% off"));
        await CreateProductAsync(tenantId, Draft("OFF-2", name: "500 off"));
        var underscore = await CreateProductAsync(tenantId, Draft("A_B", name: "Plain"));
        await CreateProductAsync(tenantId, Draft("AXB", name: "Other"));
        var backslash = await CreateProductAsync(tenantId, Draft("C-3", name: "Back\\slash"));

        Assert.Equal([percent.Id], (await database.ListProductsAsync(new ProductQuery("0%"), 10, null, None)).Items.Select(product => product.Id));
        Assert.Equal([underscore.Id], (await database.ListProductsAsync(new ProductQuery("a_b"), 10, null, None)).Items.Select(product => product.Id));
        Assert.Equal([backslash.Id], (await database.ListProductsAsync(new ProductQuery("k\\s"), 10, null, None)).Items.Select(product => product.Id));
    }

    [SkippableFact]
    public async Task ASearchIgnoresTheCaseOfLettersBeyondAToZ()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var accented = await CreateProductAsync(tenantId, Draft("ECO-1", name: "École crème", quantity: 10));
        var plain = await CreateProductAsync(tenantId, Draft("ECO-2", name: "Ecole creme", quantity: 10));
        var surprise = (await database.CreateOrderAsync("ÜBERRASCHUNG", [new(plain.Id, 1)], None)).Order!;
        var school = (await database.CreateOrderAsync("Term", [new(accented.Id, 1)], None)).Order!;

        async Task<List<string>> Products(string search) =>
            (await database.ListProductsAsync(new ProductQuery(search), 10, null, None)).Items.Select(product => product.Id).ToList();
        async Task<List<string>> Orders(string search) =>
            (await database.ListOrdersAsync(new OrderQuery(search), 10, null, None)).Items.Select(order => order.Id).ToList();

        // A capital in the name and a small letter in the search, and the other way round; an unaccented letter is another letter.
        Assert.Equal([accented.Id], await Products("école"));
        Assert.Equal([accented.Id], await Products("CRÈME"));
        Assert.Equal([plain.Id], await Products("ECOLE"));
        Assert.Equal([surprise.Id], await Orders("überr"));
        Assert.Equal([school.Id], await Orders("ÉCOLE"));
    }

    [SkippableFact]
    public async Task AnOrderSearchMatchesItsNameIdOrAProductOnALineAndNarrowsByStatusNewestFirst()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var pen = await CreateProductAsync(tenantId, Draft("PEN-1", name: "Fountain Pen", quantity: 100));
        var pad = await CreateProductAsync(tenantId, Draft("PAD-7", name: "Notepad", quantity: 100));
        var gift = (await database.CreateOrderAsync("Birthday gift", [new(pad.Id, 1)], None)).Order!;
        var office = (await database.CreateOrderAsync("Office", [new(pad.Id, 1), new(pen.Id, 1)], None)).Order!;
        var school = (await database.CreateOrderAsync("School", [new(pad.Id, 2)], None)).Order!;
        var fountain = (await database.CreateOrderAsync("Fountains", [new(pad.Id, 1)], None)).Order!;
        await database.UpdateOrderAsync(school.Id, null, OrderStatus.Shipped, null, None);
        await database.UpdateOrderAsync(office.Id, null, OrderStatus.Shipped, null, None);

        async Task<List<string>> Ids(OrderQuery query) =>
            (await ReadAllAsync(token => database.ListOrdersAsync(query, 1, token, None))).Items.Select(order => order.Id).ToList();

        // "fountain": an order's name (Fountains) or a product on a line (Office's pen), newest first.
        Assert.Equal([fountain.Id, office.Id], await Ids(new OrderQuery("FOUNTAIN")));
        Assert.Equal([office.Id], await Ids(new OrderQuery("pen-1")));
        Assert.Equal([school.Id, office.Id], await Ids(new OrderQuery(Status: OrderStatus.Shipped)));
        Assert.Equal([office.Id], await Ids(new OrderQuery("fountain", OrderStatus.Shipped)));
        Assert.Equal([gift.Id], await Ids(new OrderQuery(gift.Id[2..^2].ToUpperInvariant())));
        Assert.Empty(await Ids(new OrderQuery("birthday", OrderStatus.Delivered)));
        Assert.Equal(4, (await Ids(OrderQuery.All)).Count);
    }

    [SkippableFact]
    public async Task APageTokenIsRefusedByAListingWithAnotherSearchOrStatus()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var pen = await CreateProductAsync(tenantId, Draft("PEN-1", name: "Pen", quantity: 100));
        await CreateProductAsync(tenantId, Draft("PEN-2", name: "Pen"));
        await database.CreateOrderAsync("Pens", [new(pen.Id, 1)], None);
        await database.CreateOrderAsync("Pens", [new(pen.Id, 1)], None);
        var products = (await database.ListProductsAsync(new ProductQuery("pen"), 1, null, None)).NextToken!;
        var orders = (await database.ListOrdersAsync(new OrderQuery("pen", OrderStatus.Processing), 1, null, None)).NextToken!;

        Assert.Single((await database.ListProductsAsync(new ProductQuery("pen"), 1, products, None)).Items);
        Assert.Single((await database.ListOrdersAsync(new OrderQuery("pen", OrderStatus.Processing), 1, orders, None)).Items);
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => database.ListProductsAsync(new ProductQuery("pe"), 1, products, None));
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => database.ListProductsAsync(1, products, None));
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => database.ListOrdersAsync(new OrderQuery("pen"), 1, orders, None));
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => database.ListOrdersAsync(new OrderQuery("pens", OrderStatus.Processing), 1, orders, None));
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => database.ListOrdersAsync(new OrderQuery("pen", OrderStatus.Processing), 1, products, None));
    }

    /// <summary>A listing that ends exactly on a page boundary ends with a full page and no further token.</summary>
    [SkippableFact]
    public async Task ListingsThatEndOnAPageBoundaryEndWithAFullPage()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var widget = await CreateProductAsync(tenantId, Draft("W-1", quantity: 100));
        await CreateProductAsync(tenantId, Draft("W-2"));
        for (var index = 1; index <= 4; index++)
        {
            await database.CreateOrderAsync($"Order {index}", [new(widget.Id, 1)], None);
        }

        var (products, productPages) = await ReadAllAsync(token => database.ListProductsAsync(2, token, None));
        var (orders, orderPages) = await ReadAllAsync(token => database.ListOrdersAsync(2, token, None));

        Assert.Equal([2], productPages);
        Assert.Equal(2, products.Count);
        Assert.Equal([2, 2], orderPages);
        Assert.Equal(4, orders.Select(order => order.Id).Distinct().Count());
    }

    /// <summary>The API validates first; the store still refuses what is not a product list or an order.</summary>
    [SkippableFact]
    public async Task TheStoreRefusesAPageSizeBelowOneAndAnOrderWithoutLinesOrWithAnEmptyLine()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var widget = await CreateProductAsync(tenantId, Draft("W-1", quantity: 10));

        Assert.Equal("limit", (await Assert.ThrowsAnyAsync<ArgumentException>(() => database.ListProductsAsync(0, null, None))).ParamName);
        Assert.Equal("limit", (await Assert.ThrowsAnyAsync<ArgumentException>(() => database.ListOrdersAsync(0, null, None))).ParamName);
        Assert.Equal("lines", (await Assert.ThrowsAnyAsync<ArgumentException>(() => database.CreateOrderAsync("Empty", [], None))).ParamName);
        Assert.Equal("lines", (await Assert.ThrowsAnyAsync<ArgumentException>(() => database.CreateOrderAsync("Negative", [new(widget.Id, -3)], None))).ParamName);

        // A refused line adds no stock and leaves no order behind.
        Assert.Equal(10, (await database.GetProductAsync(widget.Id, None))!.Quantity);
        Assert.Empty((await database.ListOrdersAsync(10, null, None)).Items);
    }

    [SkippableFact]
    public async Task EveryProductAndOrderGetsAnIdOfItsOwn()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var first = await CreateProductAsync(tenantId, Draft("ID-1", quantity: 10));
        var second = await CreateProductAsync(tenantId, Draft("ID-2", quantity: 10));
        var orderA = (await database.CreateOrderAsync("A", [new(first.Id, 1)], None)).Order!;
        var orderB = (await database.CreateOrderAsync("B", [new(second.Id, 1)], None)).Order!;

        Assert.NotEqual(first.Id, second.Id);
        Assert.NotEqual(orderA.Id, orderB.Id);
        Assert.Equal("A", (await database.GetOrderAsync(orderA.Id, None))!.OrderName);
        Assert.Equal("B", (await database.GetOrderAsync(orderB.Id, None))!.OrderName);
    }

    [SkippableFact]
    public async Task ConcurrentOrdersNeverSellMoreThanTheStock()
    {
        const int stock = 5;
        const int buyers = 20;
        var tenantId = await NewChildAsync();
        var widget = await CreateProductAsync(tenantId, Draft("W-1", quantity: stock));

        // Dedicated threads released together, so the orders really overlap on a two-core machine.
        using var start = new Barrier(buyers);
        var creations = await Task.WhenAll(Enumerable.Range(0, buyers).Select(buyer => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                return Databases.Open(tenantId).CreateOrderAsync($"Buyer {buyer}", [new(widget.Id, 1)], None).GetAwaiter().GetResult();
            },
            None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)));

        Assert.Equal(stock, creations.Count(creation => creation.Order is not null));
        Assert.All(creations.Where(creation => creation.Order is null), creation => Assert.Equal((widget.Id, 0), (creation.ShortProductId, creation.Available)));
        var database = Databases.Open(tenantId);
        Assert.Equal(0, (await database.GetProductAsync(widget.Id, None))!.Quantity);
        Assert.Equal(stock, (await database.ListOrdersAsync(100, null, None)).Items.Count);
    }

    [SkippableFact]
    public async Task ConcurrentOrdersNamingTheSameProductsInOppositeOrderAllSucceed()
    {
        var tenantId = await NewChildAsync();
        var first = await CreateProductAsync(tenantId, Draft("A-1", quantity: 100));
        var second = await CreateProductAsync(tenantId, Draft("B-1", quantity: 100));

        var creations = await Task.WhenAll(Enumerable.Range(0, 10).Select(index =>
        {
            OrderLineRequest[] lines = index % 2 == 0 ? [new(first.Id, 1), new(second.Id, 2)] : [new(second.Id, 2), new(first.Id, 1)];
            return Task.Run(() => Databases.Open(tenantId).CreateOrderAsync($"Order {index}", lines, None));
        }));

        Assert.All(creations, creation => Assert.NotNull(creation.Order));
        var database = Databases.Open(tenantId);
        Assert.Equal(90, (await database.GetProductAsync(first.Id, None))!.Quantity);
        Assert.Equal(80, (await database.GetProductAsync(second.Id, None))!.Quantity);
    }

    // ---- bounds (DataPlaneLimits) ----

    [SkippableFact]
    public async Task ReturningStockPastTheBoundIsRefusedAndChangesNothing()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var widget = await CreateProductAsync(tenantId, Draft("W-1", quantity: 3));
        var order = (await database.CreateOrderAsync("Order", [new(widget.Id, 2), new(widget.Id, 1)], None)).Order!;
        var full = (await database.UpdateProductAsync(widget.Id, Draft("W-1", quantity: DataPlaneLimits.MaxStock), null, None)).Product!;

        var cancel = await database.UpdateOrderAsync(order.Id, "Renamed", OrderStatus.Cancelled, null, None);
        var delete = await database.DeleteOrderAsync(order.Id, null, None);

        Assert.Equal(new OrderWrite(WriteOutcome.BoundExceeded, ProductId: widget.Id), cancel);
        Assert.Equal(new OrderWrite(WriteOutcome.BoundExceeded, ProductId: widget.Id), delete);
        Assert.Equal(full, await database.GetProductAsync(widget.Id, None));
        var unchanged = await database.GetOrderAsync(order.Id, None);
        Assert.Equal(("Order", OrderStatus.Processing), (unchanged!.OrderName, unchanged.Status));

        // At the bound exactly is fine.
        await database.UpdateProductAsync(widget.Id, Draft("W-1", quantity: DataPlaneLimits.MaxStock - 3), null, None);
        Assert.Equal(WriteOutcome.Done, (await database.UpdateOrderAsync(order.Id, null, OrderStatus.Cancelled, null, None)).Outcome);
        Assert.Equal(DataPlaneLimits.MaxStock, (await database.GetProductAsync(widget.Id, None))!.Quantity);
    }

    [SkippableFact]
    public async Task AStockStoredBeyondTheBoundStillReadsSellsAndRefusesToGrow()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);

        // The store takes what it is given (the API checks the bounds), so this stands for a value stored before them.
        var huge = await CreateProductAsync(tenantId, Draft("HUGE", quantity: int.MaxValue, backorderedLimit: int.MaxValue));

        Assert.Equal((int.MaxValue, int.MaxValue), ((await database.GetProductAsync(huge.Id, None))!.Quantity, huge.BackorderedLimit));
        Assert.Equal(int.MaxValue, Assert.Single((await database.ListProductsAsync(10, null, None)).Items).Quantity);
        var order = (await database.CreateOrderAsync("Order", [new(huge.Id, 1)], None)).Order!;
        Assert.Equal(int.MaxValue - 1L, (await database.GetProductAsync(huge.Id, None))!.Quantity);

        var cancel = await database.UpdateOrderAsync(order.Id, null, OrderStatus.Cancelled, null, None);

        Assert.Equal(WriteOutcome.BoundExceeded, cancel.Outcome);
        Assert.Equal(int.MaxValue - 1L, (await database.GetProductAsync(huge.Id, None))!.Quantity);
        Assert.NotNull((await database.CreateOrderAsync("Another", [new(huge.Id, 1)], None)).Order);
    }

    // ---- SKUs ignoring case ----

    [SkippableFact]
    public async Task ASkuIsTakenWhateverTheCaseOfItsLetters()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var first = await CreateProductAsync(tenantId, Draft("ABC-1"));
        var other = await CreateProductAsync(tenantId, Draft("XYZ-1"));

        var created = await database.CreateProductAsync(Draft("abc-1"), None);
        var renamed = await database.UpdateProductAsync(other.Id, Draft("Abc-1"), null, None);
        var ownCase = await database.UpdateProductAsync(first.Id, Draft("abc-1"), null, None);

        Assert.Equal(WriteOutcome.Conflict, created.Outcome);
        Assert.Equal(WriteOutcome.Conflict, renamed.Outcome);
        Assert.Equal(other, await database.GetProductAsync(other.Id, None));
        Assert.Equal((WriteOutcome.Done, "abc-1"), (ownCase.Outcome, ownCase.Product!.Sku));
        Assert.Equal(2, (await database.ListProductsAsync(10, null, None)).Items.Count);
    }

    [SkippableFact]
    public async Task ConcurrentCreatesOfOneSkuInDifferentCasesLetExactlyOneWin()
    {
        var tenantId = await NewChildAsync();
        string[] skus = ["RACE-1", "race-1", "Race-1", "rACE-1", "RaCe-1", "rAcE-1", "RACE-1", "race-1"];
        using var start = new Barrier(skus.Length);
        var writes = await Task.WhenAll(skus.Select(sku => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                return Databases.Open(tenantId).CreateProductAsync(Draft(sku), None).GetAwaiter().GetResult();
            },
            None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)));

        Assert.Equal(1, writes.Count(write => write.Outcome == WriteOutcome.Done));
        Assert.Equal(skus.Length - 1, writes.Count(write => write.Outcome == WriteOutcome.Conflict));
        Assert.Single((await Databases.Open(tenantId).ListProductsAsync(10, null, None)).Items);
    }

    // ---- order status moves ----

    [SkippableTheory]
    [InlineData("processing", "shipped", true)]
    [InlineData("processing", "delivered", false)]
    [InlineData("processing", "cancelled", true)]
    [InlineData("processing", "processing", true)]
    [InlineData("shipped", "processing", false)]
    [InlineData("shipped", "delivered", true)]
    [InlineData("shipped", "cancelled", true)]
    [InlineData("shipped", "shipped", true)]
    [InlineData("delivered", "processing", false)]
    [InlineData("delivered", "shipped", false)]
    [InlineData("delivered", "cancelled", false)]
    [InlineData("delivered", "delivered", true)]
    [InlineData("cancelled", "processing", false)]
    [InlineData("cancelled", "shipped", false)]
    [InlineData("cancelled", "delivered", false)]
    [InlineData("cancelled", "cancelled", true)]
    public async Task AnOrderStatusOnlyMovesForwardAndARefusedMoveChangesNothing(string from, string to, bool allowed)
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var widget = await CreateProductAsync(tenantId, Draft("W-1", quantity: 10));
        var order = (await database.CreateOrderAsync("Order", [new(widget.Id, 4)], None)).Order!;
        var path = from switch
        {
            OrderStatus.Shipped => new[] { OrderStatus.Shipped },
            OrderStatus.Delivered => [OrderStatus.Shipped, OrderStatus.Delivered],
            OrderStatus.Cancelled => [OrderStatus.Cancelled],
            _ => [],
        };
        foreach (var step in path)
        {
            Assert.Equal(WriteOutcome.Done, (await database.UpdateOrderAsync(order.Id, null, step, null, None)).Outcome);
        }

        var stock = (await database.GetProductAsync(widget.Id, None))!.Quantity;

        var write = await database.UpdateOrderAsync(order.Id, "Renamed", to, null, None);

        var after = (await database.GetOrderAsync(order.Id, None))!;
        if (allowed)
        {
            Assert.Equal(WriteOutcome.Done, write.Outcome);
            Assert.Equal((to, "Renamed"), (after.Status, after.OrderName));
            Assert.Equal(write.Order!.Version, after.Version);
            var returned = to == OrderStatus.Cancelled && from != OrderStatus.Cancelled ? 4 : 0;
            Assert.Equal(stock + returned, (await database.GetProductAsync(widget.Id, None))!.Quantity);
        }
        else
        {
            Assert.Equal(new OrderWrite(WriteOutcome.TransitionRefused, CurrentStatus: from), write);
            Assert.Equal((from, "Order"), (after.Status, after.OrderName));
            Assert.Equal(stock, (await database.GetProductAsync(widget.Id, None))!.Quantity);
        }
    }

    // ---- versions (what ETags are made from) ----

    [SkippableFact]
    public async Task AProductWriteWithAStaleVersionIsRefusedAndChangesNothing()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var product = await CreateProductAsync(tenantId, Draft("V-1"));
        Assert.Equal(product.Version, (await database.GetProductAsync(product.Id, None))!.Version);

        var fresh = await database.UpdateProductAsync(product.Id, Draft("V-1", name: "Fresh"), product.Version, None);
        var stale = await database.UpdateProductAsync(product.Id, Draft("V-1", name: "Stale"), product.Version, None);
        var staleDelete = await database.DeleteProductAsync(product.Id, product.Version, None);

        Assert.Equal(WriteOutcome.Done, fresh.Outcome);
        Assert.NotEqual(product.Version, fresh.Product!.Version);
        Assert.Equal(WriteOutcome.PreconditionFailed, stale.Outcome);
        Assert.Equal(WriteOutcome.PreconditionFailed, staleDelete);
        var stored = (await database.GetProductAsync(product.Id, None))!;
        Assert.Equal(fresh.Product, stored);
        Assert.Equal(fresh.Product.Version, stored.Version);

        // Stock taken by an order is a change of the product too.
        await database.CreateOrderAsync("Order", [new(product.Id, 1)], None);
        var afterOrder = (await database.GetProductAsync(product.Id, None))!;
        Assert.NotEqual(stored.Version, afterOrder.Version);
        Assert.Equal(WriteOutcome.PreconditionFailed, await database.DeleteProductAsync(product.Id, stored.Version, None));
        Assert.Equal(WriteOutcome.Done, await database.DeleteProductAsync(product.Id, afterOrder.Version, None));
    }

    [SkippableFact]
    public async Task AnOrderWriteWithAStaleVersionIsRefusedAndChangesNothing()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var widget = await CreateProductAsync(tenantId, Draft("W-1", quantity: 10));
        var order = (await database.CreateOrderAsync("Order", [new(widget.Id, 4)], None)).Order!;
        Assert.Equal(order.Version, (await database.GetOrderAsync(order.Id, None))!.Version);

        var fresh = await database.UpdateOrderAsync(order.Id, "Renamed", null, order.Version, None);
        var stale = await database.UpdateOrderAsync(order.Id, null, OrderStatus.Cancelled, order.Version, None);
        var staleDelete = await database.DeleteOrderAsync(order.Id, order.Version, None);

        Assert.Equal(WriteOutcome.Done, fresh.Outcome);
        Assert.NotEqual(order.Version, fresh.Order!.Version);
        Assert.Equal(WriteOutcome.PreconditionFailed, stale.Outcome);
        Assert.Equal(WriteOutcome.PreconditionFailed, staleDelete.Outcome);
        var stored = (await database.GetOrderAsync(order.Id, None))!;
        Assert.Equal((fresh.Order.Version, OrderStatus.Processing), (stored.Version, stored.Status));
        Assert.Equal(6, (await database.GetProductAsync(widget.Id, None))!.Quantity);
        Assert.Equal(WriteOutcome.Done, (await database.DeleteOrderAsync(order.Id, stored.Version, None)).Outcome);
        Assert.Equal(10, (await database.GetProductAsync(widget.Id, None))!.Quantity);
    }

    [SkippableFact]
    public async Task WritersRacingWithOneVersionLetExactlyOneWin()
    {
        const int writers = 6;
        var tenantId = await NewChildAsync();
        var product = await CreateProductAsync(tenantId, Draft("RACE-1"));
        var widget = await CreateProductAsync(tenantId, Draft("W-1", quantity: 10));
        var order = (await Databases.Open(tenantId).CreateOrderAsync("Order", [new(widget.Id, 1)], None)).Order!;

        using var start = new Barrier(writers * 2);
        var productWrites = Enumerable.Range(0, writers).Select(writer => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                return Databases.Open(tenantId).UpdateProductAsync(product.Id, Draft("RACE-1", name: $"Writer {writer}"), product.Version, None).GetAwaiter().GetResult().Outcome;
            },
            None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToList();
        var orderWrites = Enumerable.Range(0, writers).Select(writer => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                return Databases.Open(tenantId).UpdateOrderAsync(order.Id, $"Writer {writer}", null, order.Version, None).GetAwaiter().GetResult().Outcome;
            },
            None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToList();
        var productOutcomes = await Task.WhenAll(productWrites);
        var orderOutcomes = await Task.WhenAll(orderWrites);

        Assert.Equal(1, productOutcomes.Count(outcome => outcome == WriteOutcome.Done));
        Assert.Equal(writers - 1, productOutcomes.Count(outcome => outcome == WriteOutcome.PreconditionFailed));
        Assert.Equal(1, orderOutcomes.Count(outcome => outcome == WriteOutcome.Done));
        Assert.Equal(writers - 1, orderOutcomes.Count(outcome => outcome == WriteOutcome.PreconditionFailed));
    }

    // ---- helpers ----

    protected async Task<string> NewChildAsync()
    {
        var tenantId = TenantIds.New();
        await Databases.CreateAsync(tenantId, None);
        return tenantId;
    }

    protected async Task<Product> CreateProductAsync(string tenantId, ProductDraft draft)
    {
        var write = await Databases.Open(tenantId).CreateProductAsync(draft, None);
        Assert.Equal(WriteOutcome.Done, write.Outcome);
        return write.Product!;
    }

    // ---- change records: the audit log and the outbox ----

    [SkippableFact]
    public async Task AChangeWritesItsRecordWithItAndAWriteThatChangesNothingRecordsNothing()
    {
        var tenant = NewTenant(Unique("Recorded"));
        await Catalog.TryInsertTenantAsync(tenant, None);
        var later = tenant.UpdatedAt.AddSeconds(1);

        var updated = await Catalog.UpdateTenantAsync(tenant.Id, new TenantChanges(TenantPhone: "+1 555 0111"), later, Truncated(tenant.UpdatedAt), Record(tenant.Id, "update", "t.updated"), None);
        var stale = await Catalog.SetTenantStatusAsync(tenant.Id, TenantStatus.Inactive, later.AddSeconds(1), Truncated(tenant.UpdatedAt), Record(tenant.Id, "stale", "t.stale"), None);
        var missing = await Catalog.SetTenantStatusAsync(TenantIds.New(), TenantStatus.Inactive, later, null, Record(tenant.Id, "missing", "t.missing"), None);
        var status = await Catalog.SetTenantStatusAsync(tenant.Id, TenantStatus.Inactive, later.AddSeconds(1), null, Record(tenant.Id, "deactivate", "t.deactivated"), None);
        var offboarding = new TenantOffboarding(Truncated(later), Truncated(later.AddDays(30)), "admin", "SystemAdmin", TenantStatus.Inactive);
        await Catalog.SetOffboardingAsync(tenant.Id, TenantStatus.Offboarding, offboarding, later.AddSeconds(2), null, Record(tenant.Id, "offboard", "t.offboarding"), None);
        await Catalog.UpsertTenantUserAsync(new TenantUserMapping(tenant.Id, "rec-" + tenant.Id, true), Record(tenant.Id, "user create", "u.created"), None);
        await Catalog.SetTenantUsersEnabledAsync(tenant.Id, false, Record(tenant.Id, "users disable"), null, None);
        await Catalog.RemoveTenantUserAsync("rec-" + tenant.Id, Record(tenant.Id, "user remove", "u.removed"), None);
        await Catalog.RecordAsync(Record(tenant.Id, "alone", "u.role"), None);

        Assert.Equal((TenantUpdateOutcome.Updated, TenantUpdateOutcome.VersionMismatch, TenantUpdateOutcome.NotFound, TenantUpdateOutcome.Updated), (updated.Outcome, stale.Outcome, missing.Outcome, status.Outcome));
        var entries = (await Catalog.ListAuditAsync(new AuditQuery(TenantId: tenant.Id), 100, null, None)).Items;
        Assert.Equal(["alone", "user remove", "users disable", "user create", "offboard", "deactivate", "update"], entries.Select(entry => entry.Action));
        var events = await Catalog.ListOutboxAsync(tenant.Id, 0, 100, None);
        Assert.Equal(["t.updated", "t.deactivated", "t.offboarding", "u.created", "u.removed", "u.role"], events.Select(e => e.Type));
        Assert.Equal([1L, 2, 3, 4, 5, 6], events.Select(e => e.Sequence));
        Assert.Equal(["t.offboarding", "u.created", "u.removed", "u.role"], (await Catalog.ListOutboxAsync(tenant.Id, 2, 100, None)).Select(e => e.Type));
        Assert.Single(await Catalog.ListOutboxAsync(tenant.Id, 2, 1, None));
    }

    [SkippableFact]
    public async Task AnEntryAndAnEventReadBackWithEveryField()
    {
        var tenantId = TenantIds.New();
        var time = DateTimeOffset.UtcNow;
        var entry = new AuditEntry(Guid.CreateVersion7().ToString(), Truncated(time), "someone", "Tenant", tenantId, "PUT /thing", "target-1", AuditOutcomes.Refused, 409, "192.0.2.7", "0af7651916cd43dd8448eb211c80319c");
        var change = new LifecycleEvent(Guid.CreateVersion7().ToString(), "t.thing", tenantId, Truncated(time), """{"tenantId":"x","n":1}""");
        var bare = new AuditEntry(Guid.CreateVersion7().ToString(), Truncated(time.AddSeconds(1)), "anonymous", null, tenantId, "POST /x", null, AuditOutcomes.Succeeded, null, null, null);

        await Catalog.RecordAsync(new ChangeRecord(entry, [change]), None);
        await Catalog.RecordAsync(ChangeRecord.Of(bare), None);

        Assert.Equal([bare, entry], (await Catalog.ListAuditAsync(new AuditQuery(TenantId: tenantId), 10, null, None)).Items);
        Assert.Equal(new OutboxEvent(change.Id, change.Type, tenantId, 1, change.Time, change.Data), Assert.Single(await Catalog.ListOutboxAsync(tenantId, 0, 10, None)));
    }

    [SkippableFact]
    public async Task ATombstoneWritesItsRecordOnceAndOnlyForAPurgingTenant()
    {
        var purging = NewTenant(Unique("Tomb"), TenantStatus.Purging);
        var active = NewTenant(Unique("Alive"));
        await Catalog.TryInsertTenantAsync(purging, None);
        await Catalog.TryInsertTenantAsync(active, None);

        await Catalog.WriteTombstoneAsync(purging.Id, purging.UpdatedAt.AddSeconds(1), Record(purging.Id, "purge", "t.purged"), None);
        await Catalog.WriteTombstoneAsync(purging.Id, purging.UpdatedAt.AddSeconds(2), Record(purging.Id, "purge", "t.purged"), None);
        await Catalog.WriteTombstoneAsync(active.Id, active.UpdatedAt.AddSeconds(1), Record(active.Id, "purge", "t.purged"), None);

        Assert.Single((await Catalog.ListAuditAsync(new AuditQuery(TenantId: purging.Id), 10, null, None)).Items);
        Assert.Single(await Catalog.ListOutboxAsync(purging.Id, 0, 10, None));
        Assert.Empty((await Catalog.ListAuditAsync(new AuditQuery(TenantId: active.Id), 10, null, None)).Items);
        Assert.Empty(await Catalog.ListOutboxAsync(active.Id, 0, 10, None));
    }

    [SkippableFact]
    public async Task AuditEntriesPageNewestFirstToTheEndAndEachFilterNarrowsThem()
    {
        var tenantId = TenantIds.New();
        var actor = Marker();
        var start = Truncated(DateTimeOffset.UtcNow);
        for (var i = 0; i < 7; i++)
        {
            var entry = new AuditEntry(
                Guid.CreateVersion7().ToString(), start.AddSeconds(i / 2), i % 2 == 0 ? actor : "other", null, tenantId, i < 3 ? "early" : "late", null, AuditOutcomes.Succeeded, null, null, null);
            await Catalog.RecordAsync(ChangeRecord.Of(entry), None);
        }

        var (all, pageSizes) = await ReadAllAsync(token => Catalog.ListAuditAsync(new AuditQuery(TenantId: tenantId), 2, token, None));
        Assert.Equal([2, 2, 2, 1], pageSizes);
        Assert.Equal(all.OrderByDescending(entry => entry.Time).ThenByDescending(entry => entry.Id, StringComparer.Ordinal), all);
        Assert.Equal(7, all.Select(entry => entry.Id).Distinct().Count());
        Assert.Equal(4, (await ReadAllAsync(token => Catalog.ListAuditAsync(new AuditQuery(TenantId: tenantId, Actor: actor), 3, token, None))).Items.Count);
        Assert.Equal(4, (await ReadAllAsync(token => Catalog.ListAuditAsync(new AuditQuery(TenantId: tenantId, Action: "late"), 3, token, None))).Items.Count);
        Assert.Equal(4, (await ReadAllAsync(token => Catalog.ListAuditAsync(new AuditQuery(Actor: actor), 3, token, None))).Items.Count);
        var window = (await ReadAllAsync(token => Catalog.ListAuditAsync(new AuditQuery(TenantId: tenantId, From: start.AddSeconds(1), To: start.AddSeconds(3)), 3, token, None))).Items;
        Assert.Equal(4, window.Count);
        Assert.All(window, entry => Assert.InRange(entry.Time, start.AddSeconds(1), start.AddSeconds(2)));
    }

    [SkippableFact]
    public async Task PruningDeletesOnlyTheEntriesOlderThanTheCutoff()
    {
        var tenantId = TenantIds.New();
        var old = new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var time in new[] { old, old.AddDays(1), old.AddDays(400) })
        {
            await Catalog.RecordAsync(ChangeRecord.Of(new AuditEntry(Guid.CreateVersion7().ToString(), time, "pruner", null, tenantId, "old", null, AuditOutcomes.Succeeded, null, null, null)), None);
        }

        Assert.True(await Catalog.PruneAuditAsync(old.AddDays(2), None) >= 2);

        Assert.Equal([old.AddDays(400)], (await Catalog.ListAuditAsync(new AuditQuery(TenantId: tenantId), 10, null, None)).Items.Select(entry => entry.Time));
    }

    [SkippableFact]
    public async Task ConcurrentChangesOfOneTenantGetConsecutiveSequencesAndDeletingTheTenantDropsItsEvents()
    {
        var tenant = NewTenant(Unique("Sequenced"));
        await Catalog.TryInsertTenantAsync(tenant, None);

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => Catalog.RecordAsync(Record(tenant.Id, "write " + i, "t.write"), None))));

        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), (await Catalog.ListOutboxAsync(tenant.Id, 0, 100, None)).Select(e => e.Sequence));
        await Catalog.DeleteTenantAsync(tenant.Id, None);
        Assert.Empty(await Catalog.ListOutboxAsync(tenant.Id, 0, 100, None));
        Assert.Equal(12, (await Catalog.ListAuditAsync(new AuditQuery(TenantId: tenant.Id), 100, null, None)).Items.Count);
    }

    // ---- a tenant database's own audit log: its products' and orders' changes ----

    [SkippableFact]
    public async Task EachProductAndOrderChangeWritesItsEntryInTheTenantDatabaseAndARefusalWritesNone()
    {
        var tenantId = await NewChildAsync();
        var made = new List<AuditEntry>();
        var database = Databases.Open(tenantId, Entries(tenantId, made));

        var kept = (await database.CreateProductAsync(Draft("AUD-1", quantity: 5), None)).Product!;
        var dropped = (await database.CreateProductAsync(Draft("AUD-2"), None)).Product!;
        Assert.Equal(WriteOutcome.Conflict, (await database.CreateProductAsync(Draft("aud-1"), None)).Outcome);
        var renamed = await database.UpdateProductAsync(kept.Id, Draft("AUD-1", quantity: 5, name: "Renamed"), null, None);
        Assert.Equal(WriteOutcome.PreconditionFailed, (await database.UpdateProductAsync(kept.Id, Draft("AUD-1"), kept.Version, None)).Outcome);
        Assert.Equal(WriteOutcome.Done, await database.DeleteProductAsync(dropped.Id, null, None));
        Assert.Equal(WriteOutcome.NotFound, await database.DeleteProductAsync(dropped.Id, null, None));
        var order = (await database.CreateOrderAsync("Audited", [new OrderLineRequest(kept.Id, 2)], None)).Order!;
        Assert.Null((await database.CreateOrderAsync("Too many", [new OrderLineRequest(kept.Id, 99)], None)).Order);
        Assert.Equal(WriteOutcome.Done, (await database.UpdateOrderAsync(order.Id, null, "shipped", null, None)).Outcome);
        Assert.Equal(WriteOutcome.TransitionRefused, (await database.UpdateOrderAsync(order.Id, null, "processing", null, None)).Outcome);
        Assert.Equal(WriteOutcome.Done, (await database.DeleteOrderAsync(order.Id, null, None)).Outcome);

        Assert.Equal(WriteOutcome.Done, renamed.Outcome);
        var entries = await database.ListAuditAsync(new AuditQuery(), 100, None);
        Assert.Equal([order.Id, order.Id, order.Id, dropped.Id, kept.Id, dropped.Id, kept.Id], entries.Select(entry => entry.Target));
        Assert.All(entries, entry => Assert.Equal(tenantId, entry.TenantId));
        // Each entry reads back as it was made, with the record's id as its target; a refusal made none.
        Assert.Equal(made.Count, entries.Count);
        Assert.Equal(made.OrderBy(entry => entry.Id, StringComparer.Ordinal), entries.Select(entry => entry with { Target = null }).OrderBy(entry => entry.Id, StringComparer.Ordinal));
        Assert.Empty(await Databases.Open(await NewChildAsync()).ListAuditAsync(new AuditQuery(), 10, None));
    }

    [SkippableFact]
    public async Task AChangeWhoseTransactionBreaksOffAfterItsEntryWasMadeLeavesNeitherTheChangeNorTheEntry()
    {
        var tenantId = await NewChildAsync();
        var plain = Databases.Open(tenantId);
        var product = await CreateProductAsync(tenantId, Draft("ROLL-1", quantity: 5));
        using var breakOff = new CancellationTokenSource();
        var database = Databases.Open(tenantId, () =>
        {
            // The entry is made on the way to the commit; the write breaks off there, before the commit.
            breakOff.Cancel();
            return NewEntry(tenantId, DateTimeOffset.UtcNow, "tester", "rolled back");
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => database.CreateProductAsync(Draft("ROLL-2"), breakOff.Token));

        Assert.Equal([product.Id], (await plain.ListProductsAsync(10, null, None)).Items.Select(item => item.Id));
        Assert.Empty(await plain.ListAuditAsync(new AuditQuery(), 10, None));
        using var again = new CancellationTokenSource();
        database = Databases.Open(tenantId, () =>
        {
            again.Cancel();
            return NewEntry(tenantId, DateTimeOffset.UtcNow, "tester", "rolled back");
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => database.CreateOrderAsync("Rolled back", [new OrderLineRequest(product.Id, 2)], again.Token));
        Assert.Equal(5, (await plain.GetProductAsync(product.Id, None))!.Quantity);
        Assert.Empty((await plain.ListOrdersAsync(10, null, None)).Items);
        Assert.Empty(await plain.ListAuditAsync(new AuditQuery(), 10, None));
    }

    [SkippableFact]
    public async Task ATenantsEntriesListNewestFirstFromAPlaceWithEachFilterAndPruneByAge()
    {
        var tenantId = await NewChildAsync();
        var start = Truncated(DateTimeOffset.UtcNow);
        var planned = new Queue<AuditEntry>();
        for (var i = 0; i < 6; i++)
        {
            // Two entries a second, so that the place's id decides between them.
            planned.Enqueue(NewEntry(tenantId, start.AddSeconds(i / 2), i % 2 == 0 ? "even" : "odd", i < 3 ? "early" : "late"));
        }

        var database = Databases.Open(tenantId, planned.Dequeue);
        for (var i = 0; i < 6; i++)
        {
            await database.CreateProductAsync(Draft("LIST-" + i), None);
        }

        var all = await database.ListAuditAsync(new AuditQuery(), 100, None);
        Assert.Equal(6, all.Count);
        Assert.Equal(all.OrderByDescending(entry => entry.Time).ThenByDescending(entry => entry.Id, StringComparer.Ordinal), all);
        Assert.Equal(all.Take(2), await database.ListAuditAsync(new AuditQuery(), 2, None));
        Assert.Equal(all.Skip(3), await database.ListAuditAsync(new AuditQuery(Before: AuditPosition.Of(all[2])), 10, None));
        Assert.Equal(all.Skip(2), await database.ListAuditAsync(new AuditQuery(Before: AuditPosition.Of(all[1])), 10, None));
        Assert.Equal(3, (await database.ListAuditAsync(new AuditQuery(Actor: "even"), 10, None)).Count);
        Assert.Equal(3, (await database.ListAuditAsync(new AuditQuery(Action: "late"), 10, None)).Count);
        Assert.Equal(all.Skip(2).Take(2), await database.ListAuditAsync(new AuditQuery(From: start.AddSeconds(1), To: start.AddSeconds(2)), 10, None));
        // Another tenant's id in the query changes nothing: every entry here is this tenant's.
        Assert.Equal(6, (await database.ListAuditAsync(new AuditQuery(TenantId: TenantIds.New()), 10, None)).Count);

        Assert.Equal(4, await database.PruneAuditAsync(start.AddSeconds(2), None));
        Assert.Equal(all.Take(2), await database.ListAuditAsync(new AuditQuery(), 10, None));
    }

    [SkippableFact]
    public async Task TheCatalogListsFromAPlaceAsATenantDatabaseDoes()
    {
        var tenantId = TenantIds.New();
        var start = Truncated(DateTimeOffset.UtcNow);
        var entries = Enumerable.Range(0, 4).Select(i => NewEntry(tenantId, start.AddSeconds(i / 2), "placed", "place")).ToList();
        foreach (var entry in entries)
        {
            await Catalog.RecordAsync(ChangeRecord.Of(entry), None);
        }

        var all = (await Catalog.ListAuditAsync(new AuditQuery(TenantId: tenantId), 10, null, None)).Items;
        var after = await Catalog.ListAuditAsync(new AuditQuery(TenantId: tenantId, Before: AuditPosition.Of(all[0])), 10, null, None);

        Assert.Equal(all.Skip(1), after.Items);
        Assert.Equal(all.Skip(3), (await Catalog.ListAuditAsync(new AuditQuery(TenantId: tenantId, Before: AuditPosition.Of(all[2])), 10, null, None)).Items);
    }

    /// <summary>Entries of <paramref name="tenantId"/> as a request makes them, each kept in <paramref name="made"/> as made (without a target).</summary>
    private static DataPlaneAudit Entries(string tenantId, List<AuditEntry> made) => () =>
    {
        var entry = NewEntry(tenantId, DateTimeOffset.UtcNow, "tenant-admin", "change " + made.Count);
        made.Add(entry);
        return entry;
    };

    private static AuditEntry NewEntry(string tenantId, DateTimeOffset time, string actor, string action) =>
        new(Guid.CreateVersion7(time).ToString(), Truncated(time), actor, "Tenant", tenantId, action, null, AuditOutcomes.Succeeded, null, "192.0.2.9", "4bf92f3577b34da6a3ce929d0e0e4736");

    // ---- webhooks: endpoints, cursors, claims and the delivery log ----

    [SkippableFact]
    public async Task AWebhookEndpointReadsBackWithEveryFieldPagesInOrderAndDeletesWithItsLog()
    {
        var webhooks = Webhooks();
        var first = NewEndpoint(["saasonboarding.tenant.registered", "saasonboarding.user.created"]);
        var second = NewEndpoint(null, later: true) with { Enabled = false };
        await webhooks.InsertEndpointAsync(first, None);
        await webhooks.InsertEndpointAsync(second, None);
        var delivery = NewDelivery(first.Id, DateTimeOffset.UtcNow) with { Status = 500, Error = "HTTP 500", ResponseExcerpt = "oops", NextAttemptAt = Truncated(DateTimeOffset.UtcNow.AddMinutes(1)) };
        await webhooks.AppendDeliveryAsync(delivery, None);

        Assert.Equivalent(first, await webhooks.GetEndpointAsync(first.Id, None), strict: true);
        Assert.Equivalent(second, await webhooks.GetEndpointAsync(second.Id, None), strict: true);
        Assert.Null(await webhooks.GetEndpointAsync(Guid.CreateVersion7().ToString(), None));
        var (all, _) = await ReadAllAsync(token => webhooks.ListEndpointsAsync(1, token, None));
        var ours = all.Where(endpoint => endpoint.Id == first.Id || endpoint.Id == second.Id).ToList();
        Assert.Equivalent(new[] { first, second }, ours, strict: true);
        Assert.Equal([first.Id, second.Id], ours.Select(endpoint => endpoint.Id));
        Assert.Equal(all.Select(endpoint => endpoint.Id).Order(StringComparer.Ordinal), all.Select(endpoint => endpoint.Id));
        Assert.Equal([delivery], (await webhooks.ListDeliveriesAsync(first.Id, 10, null, None)).Items);

        Assert.True(await webhooks.DeleteEndpointAsync(first.Id, None));
        Assert.False(await webhooks.DeleteEndpointAsync(first.Id, None));
        Assert.Null(await webhooks.GetEndpointAsync(first.Id, None));
        Assert.Empty((await webhooks.ListDeliveriesAsync(first.Id, 10, null, None)).Items);
        await webhooks.DeleteEndpointAsync(second.Id, None);
    }

    [SkippableFact]
    public async Task AnEndpointHearsOfTheEventsWrittenAfterItWasMadeAndADisabledOneOfNone()
    {
        var webhooks = Webhooks();
        var old = NewTenant(Unique("Hooked"));
        await Catalog.TryInsertTenantAsync(old, None);
        await Catalog.RecordAsync(Record(old.Id, "before", "t.one", "t.two"), None);
        var endpoint = NewEndpoint(null);
        var disabled = NewEndpoint(null) with { Enabled = false };
        await webhooks.InsertEndpointAsync(endpoint, None);
        await webhooks.InsertEndpointAsync(disabled, None);
        Assert.DoesNotContain(await DueAsync(webhooks, endpoint.Id), cursor => cursor.TenantId == old.Id);

        var fresh = TenantIds.New();
        await Catalog.RecordAsync(Record(old.Id, "after", "t.three"), None);
        await Catalog.RecordAsync(Record(fresh, "after", "t.first"), None);

        var due = await DueAsync(webhooks, endpoint.Id);
        Assert.Contains(new WebhookCursor(endpoint.Id, old.Id, 2, 0), due);
        Assert.Contains(new WebhookCursor(endpoint.Id, fresh, 0, 0), due);
        Assert.Empty(await DueAsync(webhooks, disabled.Id));

        // While its registration is under way a tenant's events wait.
        await Catalog.WriteJournalAsync(new OnboardingJournal(fresh, "Hooked", "instance", ["tenant"], DateTimeOffset.UtcNow), None);
        Assert.DoesNotContain(await DueAsync(webhooks, endpoint.Id), cursor => cursor.TenantId == fresh);
        await Catalog.DeleteJournalAsync(fresh, None);
        Assert.Contains(new WebhookCursor(endpoint.Id, fresh, 0, 0), await DueAsync(webhooks, endpoint.Id));
        await webhooks.DeleteEndpointAsync(endpoint.Id, None);
        await webhooks.DeleteEndpointAsync(disabled.Id, None);
    }

    [SkippableFact]
    public async Task OneClaimOfACursorWinsItsOwnerAloneMovesItAndAFailedAttemptWaitsForItsTime()
    {
        var webhooks = Webhooks();
        var endpoint = NewEndpoint(null);
        await webhooks.InsertEndpointAsync(endpoint, None);
        var tenantId = TenantIds.New();
        await Catalog.RecordAsync(Record(tenantId, "events", "t.one", "t.two"), None);
        var now = DateTimeOffset.UtcNow;
        var cursor = Assert.Single(await DueAsync(webhooks, endpoint.Id, now));

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => webhooks.TryClaimAsync(cursor, "instance-" + i, now, now.AddMinutes(1), None)));
        Assert.Single(claims, claimed => claimed);
        var owner = "instance-" + Array.IndexOf(claims, true);
        Assert.Empty(await DueAsync(webhooks, endpoint.Id, now));

        var delivered = NewDelivery(endpoint.Id, now) with { TenantId = tenantId };
        Assert.False(await webhooks.AdvanceAsync(cursor with { DeliveredSequence = 1 }, "someone-else", now.AddMinutes(1), delivered, None));
        Assert.True(await webhooks.AdvanceAsync(cursor with { DeliveredSequence = 1 }, owner, now.AddMinutes(1), delivered, None));
        var retry = NewDelivery(endpoint.Id, now.AddMilliseconds(1)) with { Outcome = WebhookOutcomes.Retrying, Attempt = 1, NextAttemptAt = Truncated(now.AddSeconds(30)) };
        Assert.True(await webhooks.AdvanceAsync(new WebhookCursor(endpoint.Id, tenantId, 1, 1, now.AddSeconds(30)), owner, null, retry, None));
        Assert.False(await webhooks.AdvanceAsync(new WebhookCursor(endpoint.Id, tenantId, 2, 0), owner, null, null, None));

        Assert.Empty(await DueAsync(webhooks, endpoint.Id, now.AddSeconds(29)));
        var again = Assert.Single(await DueAsync(webhooks, endpoint.Id, now.AddSeconds(31)));
        Assert.Equal(new WebhookCursor(endpoint.Id, tenantId, 1, 1), again);
        Assert.False(await webhooks.TryClaimAsync(cursor, "late", now.AddSeconds(31), now.AddMinutes(2), None));
        Assert.True(await webhooks.TryClaimAsync(again, "late", now.AddSeconds(31), now.AddMinutes(2), None));
        Assert.False(await webhooks.TryClaimAsync(again, "later", now.AddMinutes(1), now.AddMinutes(3), None));
        Assert.True(await webhooks.TryClaimAsync(again, "later", now.AddMinutes(2), now.AddMinutes(3), None));
        Assert.Equal([retry, delivered], (await webhooks.ListDeliveriesAsync(endpoint.Id, 10, null, None)).Items);
        await webhooks.DeleteEndpointAsync(endpoint.Id, None);
    }

    [SkippableFact]
    public async Task TheDeliveryLogPagesNewestFirstToTheEndAndAnEventReadsBackByItsId()
    {
        var webhooks = Webhooks();
        var endpoint = NewEndpoint(null);
        await webhooks.InsertEndpointAsync(endpoint, None);
        var start = DateTimeOffset.UtcNow;
        var deliveries = Enumerable.Range(0, 5).Select(i => NewDelivery(endpoint.Id, start.AddSeconds(i))).ToList();
        foreach (var delivery in deliveries)
        {
            await webhooks.AppendDeliveryAsync(delivery, None);
        }

        var (read, sizes) = await ReadAllAsync(token => webhooks.ListDeliveriesAsync(endpoint.Id, 2, token, None));
        Assert.Equal(Enumerable.Reverse(deliveries), read);
        Assert.Equal([2, 2, 1], sizes);
        var tenantId = TenantIds.New();
        var record = Record(tenantId, "event", "t.replayed");
        await Catalog.RecordAsync(record, None);
        var change = record.Events[0];
        Assert.Equal(new OutboxEvent(change.Id, change.Type, tenantId, 1, change.Time, change.Data), await webhooks.GetEventAsync(change.Id, None));
        Assert.Null(await webhooks.GetEventAsync(Guid.CreateVersion7().ToString(), None));
        await webhooks.DeleteEndpointAsync(endpoint.Id, None);
    }

    [SkippableFact]
    public async Task PruningDeletesOnlyOldEventsEveryEndpointHasPassedAndTheTenantsSequenceGoesOn()
    {
        var webhooks = Webhooks();
        var endpoint = NewEndpoint(null);
        await webhooks.InsertEndpointAsync(endpoint, None);
        var tenantId = TenantIds.New();
        var record = Record(tenantId, "events", "t.one", "t.two", "t.three");
        await Catalog.RecordAsync(record, None);
        var after = DateTimeOffset.UtcNow.AddSeconds(1);

        // The endpoint has passed none of them yet, and the retention keeps what is newer than its limit.
        await webhooks.PruneOutboxAsync(after, None);
        Assert.Equal(3, (await Catalog.ListOutboxAsync(tenantId, 0, 10, None)).Count);
        var cursor = Assert.Single(await DueAsync(webhooks, endpoint.Id), due => due.TenantId == tenantId);
        Assert.True(await webhooks.TryClaimAsync(cursor, "pruner", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(1), None));
        Assert.True(await webhooks.AdvanceAsync(cursor with { DeliveredSequence = 2 }, "pruner", null, null, None));
        await webhooks.PruneOutboxAsync(record.Audit.Time.AddSeconds(-1), None);
        Assert.Equal(3, (await Catalog.ListOutboxAsync(tenantId, 0, 10, None)).Count);

        Assert.True(await webhooks.PruneOutboxAsync(after, None) >= 2);
        Assert.Equal([3L], (await Catalog.ListOutboxAsync(tenantId, 0, 10, None)).Select(e => e.Sequence));
        Assert.Null(await webhooks.GetEventAsync(record.Events[0].Id, None));

        // With no endpoint left, every old event goes; the next event still takes the next sequence.
        await webhooks.DeleteEndpointAsync(endpoint.Id, None);
        await webhooks.PruneOutboxAsync(after, None);
        Assert.Empty(await Catalog.ListOutboxAsync(tenantId, 0, 10, None));
        await Catalog.RecordAsync(Record(tenantId, "later", "t.four"), None);
        Assert.Equal([4L], (await Catalog.ListOutboxAsync(tenantId, 0, 10, None)).Select(e => e.Sequence));
    }

    private IWebhookStore Webhooks()
    {
        Skip.If(fixture.Webhooks is null, "This store keeps no webhooks.");
        return fixture.Webhooks!;
    }

    private static async Task<List<WebhookCursor>> DueAsync(IWebhookStore webhooks, string endpointId, DateTimeOffset? now = null) =>
        [.. (await webhooks.ListDueAsync(now ?? DateTimeOffset.UtcNow, 10_000, None)).Where(cursor => cursor.EndpointId == endpointId)];

    /// <summary>An endpoint; <paramref name="later"/>: with an id made a second later, so that it sorts after one made now.</summary>
    private static WebhookEndpoint NewEndpoint(IReadOnlyList<string>? eventTypes, bool later = false) =>
        new(Guid.CreateVersion7(DateTimeOffset.UtcNow.AddSeconds(later ? 1 : 0)).ToString(), "https://hooks.example.com/" + Marker(), "v1.c2VjcmV0", eventTypes, Truncated(DateTimeOffset.UtcNow), true);

    private static WebhookDelivery NewDelivery(string endpointId, DateTimeOffset time) => new(
        Guid.CreateVersion7(time).ToString(), endpointId, Guid.CreateVersion7().ToString(), "t.thing", null, 1, WebhookOutcomes.Delivered, 204, null, null, Truncated(time), null);

    /// <summary>A change record of <paramref name="tenantId"/> named <paramref name="action"/>, with an event of each type.</summary>
    private static ChangeRecord Record(string tenantId, string action, params string[] eventTypes)
    {
        var now = DateTimeOffset.UtcNow;
        return new ChangeRecord(
            new AuditEntry(Guid.CreateVersion7(now).ToString(), Truncated(now), "tester", "Operations", tenantId, action, tenantId, AuditOutcomes.Succeeded, null, "127.0.0.1", null),
            [.. eventTypes.Select(type => new LifecycleEvent(Guid.CreateVersion7(now).ToString(), type, tenantId, Truncated(now), """{"tenantId":"t"}"""))]);
    }

    protected static ProductDraft Draft(string sku, decimal price = 9.99m, int quantity = 10, int backorderedLimit = 2, string name = "Widget") =>
        new(name, "Description of " + name, sku, price, quantity, backorderedLimit);

    private static string Text(decimal value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Every item of a listing, page by page, with the size of each page. It stops at ten pages, so a token that
    /// never runs out fails the test instead of hanging it.
    /// </summary>
    private static async Task<(List<T> Items, List<int> PageSizes)> ReadAllAsync<T>(Func<string?, Task<Page<T>>> list)
    {
        var items = new List<T>();
        var pageSizes = new List<int>();
        string? token = null;
        do
        {
            var page = await list(token);
            pageSizes.Add(page.Items.Count);
            items.AddRange(page.Items);
            token = page.NextToken;
        }
        while (token is not null && pageSizes.Count < 10);

        return (items, pageSizes);
    }

    private static Tenant NewTenant(string name, TenantStatus status = TenantStatus.Active)
    {
        var now = DateTimeOffset.UtcNow;
        return new Tenant(TenantIds.New(), name, "admin@example.com", "+1 555 0100", "1 Main St", "Basic", status, now, now.AddTicks(7));
    }

    /// <summary>Stores keep microseconds at least; what reads back is the tenant with its times truncated so.</summary>
    private static Tenant Stored(Tenant tenant) => tenant with { CreatedAt = Truncated(tenant.CreatedAt), UpdatedAt = Truncated(tenant.UpdatedAt) };

    private static DateTimeOffset Truncated(DateTimeOffset value) =>
        value.ToUniversalTime().AddTicks(-(value.UtcTicks % TimeSpan.TicksPerMicrosecond));

    /// <summary>A word no other test's tenant name contains, so that listings can be filtered to one test's tenants.</summary>
    private static string Marker() => "m" + Guid.NewGuid().ToString("N")[..12];

    private static string Unique(string name) => $"{name} {Marker()}";
}
