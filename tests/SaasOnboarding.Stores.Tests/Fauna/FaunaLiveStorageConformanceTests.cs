using Microsoft.Extensions.Logging.Abstractions;
using SaasOnboarding.Api.Secrets;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Fauna;

namespace SaasOnboarding.Stores.Tests.Fauna;

[Trait("Category", "FaunaLive")]
public sealed class FaunaLiveStorageConformanceTests(FaunaLiveStorageFixture fixture)
    : StorageConformanceTests(fixture), IClassFixture<FaunaLiveStorageFixture>;
