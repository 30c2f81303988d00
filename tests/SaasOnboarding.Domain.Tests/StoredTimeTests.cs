using System.Globalization;

namespace SaasOnboarding.Domain.Tests;

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
            Assert.True(StoredTime.TryParseLayout(stored, out var fast), stored);
            Assert.Equal(framework.Ticks, fast.Ticks);
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

    /// <summary>
    /// The hand-written reader must refuse every text that is not exactly the stored layout with valid fields, so
    /// that the framework's parser judges it; a wrong refusal would only cost speed, which is why it is checked here.
    /// </summary>
    [Theory]
    [InlineData("2026-13-27T21:59:58.123456Z")]
    [InlineData("2026-00-27T21:59:58.123456Z")]
    [InlineData("2026-02-30T21:59:58.123456Z")]
    [InlineData("2026-11-00T21:59:58.123456Z")]
    [InlineData("2026-11-27T24:00:00.000000Z")]
    [InlineData("2026-11-27T21:60:58.123456Z")]
    [InlineData("2026-11-27T21:59:60.123456Z")]
    [InlineData("0000-11-27T21:59:58.123456Z")]
    [InlineData("2026-11-27T21:59:58.12345xZ")]
    [InlineData("2026-11-27T21:59:5x.123456Z")]
    [InlineData("2026-11-27T21:5x:58.123456Z")]
    [InlineData("2026-11-27T2x:59:58.123456Z")]
    [InlineData("2026-11-2xT21:59:58.123456Z")]
    [InlineData("2026-1x-27T21:59:58.123456Z")]
    [InlineData("202x-11-27T21:59:58.123456Z")]
    [InlineData("2026/11-27T21:59:58.123456Z")]
    [InlineData("2026-11/27T21:59:58.123456Z")]
    [InlineData("2026-11-27 21:59:58.123456Z")]
    [InlineData("2026-11-27T21.59:58.123456Z")]
    [InlineData("2026-11-27T21:59.58.123456Z")]
    [InlineData("2026-11-27T21:59:58,123456Z")]
    [InlineData("2026-11-27T21:59:58.123456+")]
    [InlineData("2026-11-27T21:59:58.1234567Z")]
    [InlineData("2026-11-27T21:59:58.12345Z")]
    public void TheFastReaderRefusesAllButTheStoredLayout(string text) =>
        Assert.False(StoredTime.TryParseLayout(text, out _));

    [Fact]
    public void TheFastReaderReadsEveryFieldOfTheStoredLayout()
    {
        Assert.True(StoredTime.TryParseLayout("2024-02-29T23:59:59.987654Z", out var value));

        Assert.Equal(new DateTimeOffset(2024, 2, 29, 23, 59, 59, 987, 654, TimeSpan.Zero), value);
    }

    [Fact]
    public void AWriteInTheSameMicrosecondAsTheLastIsStampedOneMicrosecondLater()
    {
        var previous = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(previous.AddTicks(10), StoredTime.Next(previous, previous.AddTicks(3)));
        Assert.Equal(previous.AddSeconds(1), StoredTime.Next(previous, previous.AddSeconds(1)));
        Assert.Equal(previous.AddTicks(10), StoredTime.Next(previous, previous.AddSeconds(-1)));
    }
}
