using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tests.Tenants;

/// <summary>The one name key every catalog stores, and the mixed-script rule, on the app's invariant globalization.</summary>
public sealed class TenantNamesTests
{
    [Theory]
    [InlineData("Acme Corp", "  ACME   corp ")]
    [InlineData("Acme Corp", "\uFF21\uFF43\uFF4D\uFF45 \uFF23\uFF4F\uFF52\uFF50")] // full-width letters
    [InlineData("Firm 42", "\uFB01rm \uFF14\uFF12")] // the fi ligature, full-width digits
    [InlineData("\u03A3\u038A\u03A3\u03A5\u03A6\u039F\u03A3", "\u03C3\u03AF\u03C3\u03C5\u03C6\u03BF\u03C2")] // final sigma
    [InlineData("IBM", "\u0131bm")] // dotless i
    [InlineData("Ibm", "\u0130BM")] // dotted capital I
    [InlineData("\uAC00", "\u3131\u314F")] // Hangul compatibility jamo compose
    [InlineData("Stra\u017Fe", "strase")] // long s
    [InlineData("K\u00E5rlsson", "\u212A\u212Brlsson")] // Kelvin and Angstrom signs
    public void NamesThatOnlyLookDifferentHaveOneKey(string name, string lookAlike) =>
        Assert.Equal(TenantNames.Normalize(name), TenantNames.Normalize(lookAlike));

    [Theory]
    [InlineData("Acme", "Acne")]
    [InlineData("\u00C5rhus", "Arhus")]
    [InlineData("Stra\u00DFe", "Strasse")]
    public void NamesThatDifferStayApart(string name, string other) =>
        Assert.NotEqual(TenantNames.Normalize(name), TenantNames.Normalize(other));

    [Fact]
    public void TheKeyOfAnAsciiNameIsItsTrimmedLowerCaseForm() =>
        Assert.Equal("acme co-op & sons", TenantNames.Normalize("  Acme   Co-op & SONS "));

    [Theory]
    [InlineData("\u0410cme", true)] // Cyrillic А, Latin cme
    [InlineData("Ac\u03BCe", true)] // Greek μ
    [InlineData("\u0391\u0411", true)] // Greek and Cyrillic
    [InlineData("Acme \u00B5", true)] // the micro sign is Greek μ in NFKC
    [InlineData("Acme 42 & Sons", false)]
    [InlineData("\u00C9cole Fran\u00E7aise", false)]
    [InlineData("\u0410\u0441\u043C\u0435 42", false)]
    [InlineData("\u0391\u03B8\u03AE\u03BD\u03B1", false)]
    [InlineData("\u6771\u4EAC Acme", false)] // Han beside Latin is not a look-alike mix
    public void MixedLatinGreekAndCyrillicLettersAreFound(string name, bool mixed) =>
        Assert.Equal(mixed, TenantNames.MixesScripts(name));
}
