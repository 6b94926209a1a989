package io.snapkeep.core.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A policy with what it has done and will do next, as {@code GET /snapshot-policies/{name}} shows it.
 *
 * @param lastRun             the newest create it ran (scheduled or manual), whatever its outcome
 * @param lastSuccess         the newest create that succeeded
 * @param lastFailure         the newest create that failed or was missed, with its reason
 * @param consecutiveFailures creates failed or missed since the last success
 * @param nextDue             the next due time of {@code schedule}; empty when it never fires again
 * @param nextVerification    the next due time of {@code verify_schedule}; empty without one
 * @param health              {@code ok}, {@code failing} (the last create failed or was missed) or
 *                            {@code verification_failed} (a verification found a damaged snapshot since the
 *                            last good one)
 * @param history             the newest entries first, bounded
 */
public record PolicyStatus(SnapshotPolicy policy, Optional<PolicyRun> lastRun, Optional<PolicyRun> lastSuccess,
                           Optional<PolicyRun> lastFailure, int consecutiveFailures, Optional<Instant> nextDue,
                           Optional<Instant> nextVerification, String health, List<PolicyRun> history) {
    public PolicyStatus {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(lastRun, "lastRun");
        Objects.requireNonNull(lastSuccess, "lastSuccess");
        Objects.requireNonNull(lastFailure, "lastFailure");
        Objects.requireNonNull(nextDue, "nextDue");
        Objects.requireNonNull(nextVerification, "nextVerification");
        Objects.requireNonNull(health, "health");
        history = List.copyOf(history);
    }
}
