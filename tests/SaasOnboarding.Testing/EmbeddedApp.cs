using System.Net.Http.Headers;

namespace SaasOnboarding.Testing;

public sealed class EmbeddedApp : AppFactory;
