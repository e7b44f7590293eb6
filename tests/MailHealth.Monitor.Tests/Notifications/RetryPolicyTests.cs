using MailHealth.Monitor.Notifications;

namespace MailHealth.Monitor.Tests.Notifications;

public sealed class RetryPolicyTests
{
    private static RetryPolicy Policy(int seed = 1) => new(new NotificationRetryOptions(), new Random(seed));

    [Fact]
    public void NextAttemptDelay_Defaults_ExponentialWithinJitterThenNull()
    {
        var policy = Policy();
        TimeSpan[] ceilings = [TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(240), TimeSpan.FromSeconds(480)];

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var delay = policy.NextAttemptDelay(attempt);
            Assert.NotNull(delay);
            Assert.InRange(delay.Value, ceilings[attempt - 1] / 2, ceilings[attempt - 1]);
        }

        Assert.Null(policy.NextAttemptDelay(6));
        Assert.Null(policy.NextAttemptDelay(7));
    }

    [Fact]
    public void NextAttemptDelay_SameSeed_SameSchedule_OtherSeed_Other()
    {
        var one = Enumerable.Range(1, 5).Select(a => Policy(42).NextAttemptDelay(a)).ToList();
        var policy = Policy(42);
        var two = Enumerable.Range(1, 5).Select(policy.NextAttemptDelay).ToList();
        var other = Policy(43);
        var three = Enumerable.Range(1, 5).Select(other.NextAttemptDelay).ToList();

        Assert.Equal(Enumerable.Range(1, 5).Select(a => new RetryPolicy(new NotificationRetryOptions(), new Random(42)).NextAttemptDelay(a)), one);
        Assert.NotEqual(two, three);
    }

    [Fact]
    public void Backoff_CappedAtMaxBackoff()
    {
        var policy = new RetryPolicy(new NotificationRetryOptions { MaxAttempts = 100 }, new Random(1));

        Assert.Equal(TimeSpan.FromMinutes(30), policy.Backoff(7));
        Assert.Equal(TimeSpan.FromMinutes(30), policy.Backoff(99));
        Assert.InRange(policy.NextAttemptDelay(99)!.Value, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30));
    }

    [Fact]
    public void NextAttemptDelay_RetryAfterLonger_Honoured_ShorterIgnored()
    {
        var policy = Policy();

        Assert.Equal(TimeSpan.FromMinutes(10), policy.NextAttemptDelay(1, TimeSpan.FromMinutes(10)));
        Assert.InRange(policy.NextAttemptDelay(1, TimeSpan.FromSeconds(1))!.Value, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));
        Assert.Equal(RetryPolicy.MaxRetryAfter, policy.NextAttemptDelay(1, TimeSpan.FromDays(30)));
        Assert.Null(policy.NextAttemptDelay(6, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void NextAttemptDelay_ByResult_OnlyRetryableFailuresComeBack()
    {
        var policy = Policy();

        Assert.Null(policy.NextAttemptDelay(1, DeliveryResult.Delivered));
        Assert.Null(policy.NextAttemptDelay(1, DeliveryResult.PermanentFailure("HTTP 400 (BadRequest)")));
        Assert.Equal(TimeSpan.FromMinutes(5), policy.NextAttemptDelay(1, DeliveryResult.RetryableFailure("HTTP 429 (TooManyRequests)", TimeSpan.FromMinutes(5))));
        Assert.Null(policy.NextAttemptDelay(6, DeliveryResult.RetryableFailure("HTTP 503 (ServiceUnavailable)")));
    }

    [Fact]
    public void NextAttemptDelay_OneAttemptAllowed_NoRetry()
    {
        var policy = new RetryPolicy(new NotificationRetryOptions { MaxAttempts = 1 }, new Random(1));

        Assert.Null(policy.NextAttemptDelay(1));
    }
}
