using Microsoft.Extensions.Logging.Abstractions;
using SaasOnboarding.Api.Secrets;
using SaasOnboarding.Api.Storage.Fauna;

namespace SaasOnboarding.Api.Tests.Onboarding;

[Trait("Category", "FaunaLive")]
public sealed class FaunaLiveOnboardingFlowTests(FaunaLiveApp app) : OnboardingFlowTests<FaunaLiveApp>(app), IClassFixture<FaunaLiveApp>;
