using DevSpaces.Helper.Protocol;

namespace DevSpaces.Core.Sync;

/// <summary>
/// One sync step: the batch, what it makes happen, the container's answer (null when nothing travelled), the
/// problems newly found (local paths skipped, container paths not applied) and how long scanning and applying took.
/// </summary>
public sealed record SyncRound(SyncPlan Plan, UpdateDecision Decision, BatchResult? Result, IReadOnlyList<SyncProblem> Problems, TimeSpan ScanTime, TimeSpan ApplyTime);
