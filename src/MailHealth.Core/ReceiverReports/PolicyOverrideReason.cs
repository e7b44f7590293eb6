namespace MailHealth.ReceiverReports;

/// <summary>A policy_evaluated reason: why the receiver did not apply the policy (local_policy, mailing_list, forwarded...).</summary>
public sealed record PolicyOverrideReason(string Type, string? Comment);
