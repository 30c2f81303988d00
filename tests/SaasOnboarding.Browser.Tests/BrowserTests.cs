using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace SaasOnboarding.Browser.Tests;

[CollectionDefinition(Name)]
public sealed class BrowserTests : ICollectionFixture<BrowserApp>
{
    public const string Name = "Browser";
}
