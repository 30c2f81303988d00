using System.Security.Claims;
using SaasOnboarding.Api.Auth;
using SaasOnboarding.Api.Identity;

namespace SaasOnboarding.Api.Tests.Auth;

/// <summary>The pool of a caller is the scheme that verified its token, never a claim.</summary>
public sealed class TokenClaimsTests
{
    [Fact]
    public void ThePoolIsTheVerifyingSchemesAndNoneWithoutOne()
    {
        var claims = new[] { new Claim("iss", "operations"), new Claim(TokenClaims.UserRole, "SystemAdmin") };

        Assert.Equal(UserPool.Operations, TokenClaims.PoolOf(new ClaimsPrincipal(new ClaimsIdentity(claims, AuthSetup.OperationsScheme))));
        Assert.Equal(UserPool.Tenant, TokenClaims.PoolOf(new ClaimsPrincipal([new ClaimsIdentity(), new ClaimsIdentity(claims, AuthSetup.TenantScheme)])));
        Assert.Null(TokenClaims.PoolOf(new ClaimsPrincipal(new ClaimsIdentity(claims, "another-scheme"))));
        Assert.Null(TokenClaims.PoolOf(new ClaimsPrincipal()));
    }
}
