namespace MailHealth.Spf;

/// <summary>A mechanism's qualifier (RFC 7208 section 4.6.2); "+" when none is written.</summary>
public enum SpfQualifier
{
    Pass,
    Fail,
    SoftFail,
    Neutral,
}

public static class SpfQualifiers
{
    public static bool TryParse(char c, out SpfQualifier qualifier)
    {
        qualifier = c switch
        {
            '+' => SpfQualifier.Pass,
            '-' => SpfQualifier.Fail,
            '~' => SpfQualifier.SoftFail,
            '?' => SpfQualifier.Neutral,
            _ => (SpfQualifier)(-1),
        };
        return (int)qualifier >= 0;
    }

    public static char Symbol(this SpfQualifier qualifier) => qualifier switch
    {
        SpfQualifier.Pass => '+',
        SpfQualifier.Fail => '-',
        SpfQualifier.SoftFail => '~',
        _ => '?',
    };

    public static SpfResult ToResult(this SpfQualifier qualifier) => qualifier switch
    {
        SpfQualifier.Pass => SpfResult.Pass,
        SpfQualifier.Fail => SpfResult.Fail,
        SpfQualifier.SoftFail => SpfResult.SoftFail,
        _ => SpfResult.Neutral,
    };
}
