using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Testing;

public sealed class FaultyEmbeddedApp : AppFactory;
