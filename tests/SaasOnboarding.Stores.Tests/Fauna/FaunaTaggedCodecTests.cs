using System.Globalization;
using SaasOnboarding.Api.Storage.Fauna;

namespace SaasOnboarding.Stores.Tests.Fauna;

public sealed class FaunaTaggedCodecTests
{
    [Theory]
    [InlineData(int.MinValue, """{"@int":"-2147483648"}""")]
    [InlineData(int.MaxValue, """{"@int":"2147483647"}""")]
    [InlineData(0, """{"@int":"0"}""")]
    public void Int32BoundsTravelAsIntAndComeBackAsInt(int value, string tagged)
    {
        Assert.Equal(tagged, FaunaTagged.Encode(value));
        Assert.Equal(value, Assert.IsType<int>(FaunaTagged.Decode(tagged)));
    }

    [Theory]
    [InlineData(long.MinValue, """{"@long":"-9223372036854775808"}""")]
    [InlineData(long.MaxValue, """{"@long":"9223372036854775807"}""")]
    [InlineData(9_007_199_254_740_993L, """{"@long":"9007199254740993"}""")]
    public void Int64BoundsTravelAsLongWithoutTheRoundingOfAJsonNumber(long value, string tagged)
    {
        Assert.Equal(tagged, FaunaTagged.Encode(value));
        Assert.Equal(value, Assert.IsType<long>(FaunaTagged.Decode(tagged)));
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(double.MaxValue)]
    [InlineData(double.Epsilon)]
    [InlineData(-1.5e-300)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void DoublesRoundTripToTheSameBits(double value)
    {
        var encoded = FaunaTagged.Encode(value);

        Assert.StartsWith("""{"@double":""", encoded, StringComparison.Ordinal);
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(Assert.IsType<double>(FaunaTagged.Decode(encoded))));
    }

    [Theory]
    [InlineData("79228162514264337593543950335")]
    [InlineData("-0.0000000000000000000000000001")]
    [InlineData("0.1")]
    [InlineData("1.10")]
    [InlineData("19.99")]
    public void DecimalsTravelAsTheirExactTextNeverAsDoubles(string text)
    {
        var value = decimal.Parse(text, CultureInfo.InvariantCulture);

        var encoded = FaunaTagged.Encode(value);

        Assert.Equal($"\"{text}\"", encoded);
        var decoded = decimal.Parse(Assert.IsType<string>(FaunaTagged.Decode(encoded)), CultureInfo.InvariantCulture);
        Assert.Equal(value, decoded);
        Assert.Equal(text, decoded.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("Zürich Ærø 東京 🚀")]
    [InlineData("quote \" backslash \\ newline \n tab \t nul \0")]
    [InlineData("\u2028\u2029")]
    [InlineData("")]
    public void UnicodeAndControlCharactersRoundTrip(string value)
    {
        Assert.Equal(value, FaunaTagged.Decode(FaunaTagged.Encode(value)));
    }

    [Fact]
    public void AnObjectWithAKeyStartingWithAtIsEscapedAndComesBackAsPlainFields()
    {
        var value = new Dictionary<string, object?> { ["@int"] = "not a number", ["@weird"] = 1, ["plain"] = true };

        var encoded = FaunaTagged.Encode(value);

        Assert.Equal("""{"@object":{"@int":"not a number","@weird":{"@int":"1"},"plain":true}}""", encoded);
        var decoded = Assert.IsType<Dictionary<string, object?>>(FaunaTagged.Decode(encoded));
        Assert.Equal("not a number", decoded["@int"]);
        Assert.Equal(1, decoded["@weird"]);
        Assert.Equal(true, decoded["plain"]);
    }

    [Fact]
    public void AnObjectWithoutSuchKeysIsNotEscaped()
    {
        Assert.Equal("""{"a":{"@int":"1"},"b":null}""", FaunaTagged.Encode(new Dictionary<string, object?> { ["a"] = 1, ["b"] = null }));
    }

    [Theory]
    [InlineData(1, 1, 1, "0001-01-01")]
    [InlineData(2024, 2, 29, "2024-02-29")]
    [InlineData(9999, 12, 31, "9999-12-31")]
    public void DatesRoundTrip(int year, int month, int day, string text)
    {
        var date = new DateOnly(year, month, day);

        Assert.Equal($$"""{"@date":"{{text}}"}""", FaunaTagged.Encode(date));
        Assert.Equal(date, FaunaTagged.Decode(FaunaTagged.Encode(date)));
    }

    [Fact]
    public void TimesKeepTheirMicrosecondsAndAreSentInUtc()
    {
        var time = new DateTimeOffset(2024, 1, 31, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(10); // 1 µs

        var encoded = FaunaTagged.Encode(time);

        Assert.Equal("""{"@time":"2024-01-31T10:00:00.000001Z"}""", encoded);
        var decoded = Assert.IsType<DateTimeOffset>(FaunaTagged.Decode(encoded));
        Assert.Equal(time, decoded);
        Assert.Equal(TimeSpan.Zero, decoded.Offset);
    }

    [Fact]
    public void TimesWithNanosecondsFromTheServerAreReadToTheTick()
    {
        var decoded = Assert.IsType<DateTimeOffset>(FaunaTagged.Decode("""{"@time":"2024-01-31T10:00:00.123456789Z"}"""));

        Assert.Equal(new DateTimeOffset(2024, 1, 31, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_567), decoded);
    }

    [Fact]
    public void SubMicrosecondTicksAreTruncatedOnTheWayOutAsEveryStoreKeepsMicroseconds()
    {
        var time = new DateTimeOffset(2024, 1, 31, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);

        Assert.Equal("""{"@time":"2024-01-31T10:00:00.123456Z"}""", FaunaTagged.Encode(time));
        Assert.Equal(time.AddTicks(-7), FaunaTagged.Decode(FaunaTagged.Encode(time)));
    }

    [Fact]
    public void BytesModulesBooleansNullsAndArraysRoundTrip()
    {
        var value = new List<object?> { new byte[] { 1, 2, 3 }, new FaunaModule("product"), true, false, null, new List<object?> { 1, 2L } };

        var encoded = FaunaTagged.Encode(value);

        Assert.Equal("""[{"@bytes":"AQID"},{"@mod":"product"},true,false,null,[{"@int":"1"},{"@long":"2"}]]""", encoded);
        var decoded = Assert.IsType<List<object?>>(FaunaTagged.Decode(encoded));
        Assert.Equal(new byte[] { 1, 2, 3 }, decoded[0]);
        Assert.Equal(new FaunaModule("product"), decoded[1]);
        Assert.Equal([true, false, null], decoded.Skip(2).Take(3));
        Assert.Equal([1, 2L], Assert.IsType<List<object?>>(decoded[5]));
    }

    [Fact]
    public void ASetOfNestedDocumentsDecodesWithMetadataApartFromUserFields()
    {
        const string page = """
            {"@set":{"data":[
              {"@doc":{"id":"412653216549831168","coll":{"@mod":"order"},"ts":{"@time":"2024-01-31T10:00:00.000001Z"},
                "orderName":"First","total":{"@long":"1999"},
                "orderProducts":[{"productId":"1","quantity":{"@int":"2"},"meta":{"@object":{"@tag":"x"}}}],
                "customer":{"@ref":{"id":"7","coll":{"@mod":"customer"}}},
                "missing":{"@ref":{"id":"8","coll":{"@mod":"customer"},"exists":false,"cause":"not found"}}}}
            ],"after":"hdWCxmNjb2xsZWN0aW9u"}}
            """;

        var decoded = Assert.IsType<FaunaPage>(FaunaTagged.Decode(page));

        Assert.Equal("hdWCxmNjb2xsZWN0aW9u", decoded.After);
        var document = Assert.IsType<FaunaDocument>(Assert.Single(decoded.Data));
        Assert.Equal("412653216549831168", document.Id);
        Assert.Equal(new FaunaModule("order"), document.Collection);
        Assert.Equal(new DateTimeOffset(2024, 1, 31, 10, 0, 0, TimeSpan.Zero).AddTicks(10), document.Ts);
        Assert.Equal(["orderName", "total", "orderProducts", "customer", "missing"], document.Data.Keys);
        Assert.Equal(1999L, document["total"]);
        var line = Assert.IsType<Dictionary<string, object?>>(Assert.Single(Assert.IsType<List<object?>>(document["orderProducts"])));
        Assert.Equal(2, line["quantity"]);
        Assert.Equal("x", Assert.IsType<Dictionary<string, object?>>(line["meta"])["@tag"]);
        Assert.False(Assert.IsType<FaunaRef>(document["customer"]).IsMissing);
        var missing = Assert.IsType<FaunaRef>(document["missing"]);
        Assert.True(missing.IsMissing);
        Assert.Equal("not found", missing.Cause);
    }

    [Fact]
    public void TheLastPageOfASetHasNoCursorAndAnUnmaterializedSetIsOnlyACursor()
    {
        Assert.Null(Assert.IsType<FaunaPage>(FaunaTagged.Decode("""{"@set":{"data":[]}}""")).After);
        var cursorOnly = Assert.IsType<FaunaPage>(FaunaTagged.Decode("""{"@set":"abc"}"""));
        Assert.Empty(cursorOnly.Data);
        Assert.Equal("abc", cursorOnly.After);
    }

    [Fact]
    public void ASchemaDocumentCarriesItsName()
    {
        var document = Assert.IsType<FaunaDocument>(FaunaTagged.Decode("""{"@doc":{"name":"tenant_x","coll":{"@mod":"Database"},"ts":{"@time":"2024-01-31T10:00:00Z"}}}"""));

        Assert.Null(document.Id);
        Assert.Equal("tenant_x", document.Name);
        Assert.Empty(document.Data);
    }

    [Fact]
    public void ADocumentSentBackIsSentAsItsReference()
    {
        var document = new FaunaDocument("5", null, new FaunaModule("product"), null, new Dictionary<string, object?> { ["name"] = "Pen" });

        Assert.Equal("""{"@ref":{"id":"5","coll":{"@mod":"product"}}}""", FaunaTagged.Encode(document));
    }

    [Theory]
    [InlineData("""{"@unknown":"1"}""")]
    [InlineData("""{"@int":1}""")]
    [InlineData("""{"@time":"yesterday"}""")]
    [InlineData("""{"@doc":{"id":"1"}}""")]
    public void AMalformedTagIsAProtocolError(string tagged)
    {
        Assert.Throws<FaunaProtocolException>(() => FaunaTagged.Decode(tagged));
    }

    [Fact]
    public void ATypeWithoutAnEncodingIsRefusedRatherThanGuessed()
    {
        Assert.Throws<ArgumentException>(() => FaunaTagged.Encode(new Uri("http://example.test")));
    }
}
