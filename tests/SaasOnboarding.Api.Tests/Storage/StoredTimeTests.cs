using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tests.Storage;

public sealed class StoredTimeTests
{
    [Fact]
    public void A_stored_time_reads_back_as_the_same_instant_to_the_microsecond()
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
    public void Other_iso_8601_forms_of_the_same_instant_still_read(string text) =>
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 21, 59, 58, TimeSpan.Zero).AddTicks(1234560), StoredTime.Parse(text));
}
