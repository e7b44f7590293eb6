namespace MailHealth.Spf;

/// <summary>What <see cref="SpfPolicyWalker"/> found: the whole tree, its costs and its problems.</summary>
public sealed record SpfPolicyWalk(SpfIncludeNode Tree, int Lookups, int VoidLookups, IReadOnlyList<SpfLintIssue> Issues);
