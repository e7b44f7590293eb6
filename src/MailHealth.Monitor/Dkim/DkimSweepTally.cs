using MailHealth.Memory;

namespace MailHealth.Monitor.Dkim;

/// <summary>What one daily sweep did: targets swept, with selectors found, unanswered, and the questions asked.</summary>
public sealed class DkimSweepTally
{
    private int _swept;
    private int _found;
    private int _unanswered;
    private int _questions;

    public int Swept => _swept;

    public int Found => _found;

    public int Unanswered => _unanswered;

    public int Questions => _questions;

    /// <summary>Counts one sweep; safe from concurrent sweeps.</summary>
    public void Add(DkimSweepRecord sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        Interlocked.Increment(ref _swept);
        Interlocked.Add(ref _questions, sweep.Questions);
        if (sweep.Outcome == DkimSweepOutcome.Found)
        {
            Interlocked.Increment(ref _found);
        }
        else if (sweep.Outcome == DkimSweepOutcome.Unanswered)
        {
            Interlocked.Increment(ref _unanswered);
        }
    }
}
