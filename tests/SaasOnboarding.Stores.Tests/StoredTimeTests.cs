using System.Globalization;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Stores.Tests;

public sealed class StoredTimeTests
{
    [Fact]
    public void AStoredTimeReadsBackAsTheSameInstantToTheMicrosecond()
    {
        var instant = new DateTimeOffset(2026, 11, 27, 23, 59, 58, TimeSpan.FromHours(2)).AddTicks(1234560);

        var stored = StoredTime.Format(instant);

        Assert.Equal("2026-11-27T21:59:58.123456Z", stored);
        Assert.Equal(instant, StoredTime.Parse(stored));
        Assert.Equal(TimeSpan.Zero, StoredTime.Parse(stored).Offset);
    }

    [Theory]
    [InlineData("2026-11-27T21:59:58.1234560+00:00")]
    [InlineData("2026-11-27T23:59:58.123456+02:00")]
    [InlineData("2026-11-27T21:59:58.123456")]
    public void OtherIso8601FormsOfTheSameInstantStillRead(string text) =>
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 21, 59, 58, TimeSpan.Zero).AddTicks(1234560), StoredTime.Parse(text));

    [Fact]
    public void StoredTimesReadAsTheFrameworkReadsThemAcrossTheCalendar()
    {
        var random = new Random(20261127);
        var instants = new List<DateTimeOffset>
        {
            new(2024, 2, 29, 23, 59, 59, TimeSpan.Zero),
            new(1, 1, 1, 0, 0, 0, TimeSpan.Zero),
            DateTimeOffset.MaxValue,
        };
        for (var i = 0; i < 2000; i++)
        {
            instants.Add(new DateTimeOffset(random.NextInt64(DateTimeOffset.MinValue.Ticks, DateTimeOffset.MaxValue.Ticks), TimeSpan.Zero));
        }

        foreach (var instant in instants)
        {
            var stored = StoredTime.Format(instant);
            var framework = DateTimeOffset.ParseExact(
                stored, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            Assert.Equal(framework, StoredTime.Parse(stored));
            Assert.Equal(framework.Ticks, StoredTime.Parse(stored).Ticks);
        }
    }

    [Theory]
    [InlineData("2026-13-27T21:59:58.123456Z")]
    [InlineData("2026-02-30T21:59:58.123456Z")]
    [InlineData("2026-11-27T24:00:00.000000Z")]
    [InlineData("2026-11-27T21:60:58.123456Z")]
    [InlineData("2026-11-27T21:59:60.123456Z")]
    [InlineData("2026-11-27T21:59:58.12345xZ")]
    [InlineData("0000-11-27T21:59:58.123456Z")]
    public void ATimeThatIsNotAValidInstantIsRefused(string text) =>
        Assert.Throws<FormatException>(() => StoredTime.Parse(text));
}
