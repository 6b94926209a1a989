package io.snapkeep.core.port.in;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.PolicyStatus;
import io.snapkeep.core.domain.SnapshotPolicy;
import java.util.List;

/** Snapshot policies: schedules of creates, retention of what they made, scheduled verification. */
public interface SnapshotPolicies {

    /**
     * Policies switched off, for a host that keeps no policy catalog: every call throws
     * {@link io.snapkeep.core.error.NotFoundException} saying that policies are not enabled, so that a client
     * cannot take it for an empty list or a missing policy. Always the same instance.
     */
    static SnapshotPolicies disabled() {
        return DisabledPolicies.INSTANCE;
    }

    /**
     * Creates or replaces the policy {@code policy.name()}; its history stays when it is replaced.
     *
     * @return the policy as stored, with its status
     * @throws io.snapkeep.core.error.InvalidParameterException naming the field at fault: {@code name},
     *         {@code schedule} (not a cron expression, or one that never fires), {@code time_zone},
     *         {@code snapshot_id} (a template that can give an invalid id, or the same id twice within a day
     *         of due times), {@code retention.max_count}, {@code retention.min_count},
     *         {@code retention.expire_after}, {@code verify_schedule}
     */
    PolicyStatus putPolicy(SnapshotPolicy policy);

    /** Every policy with its status, by name. */
    List<PolicyStatus> policies();

    /** @throws io.snapkeep.core.error.NotFoundException no such policy */
    PolicyStatus policy(String name);

    /**
     * Removes the policy and its history; its snapshots stay.
     *
     * @throws io.snapkeep.core.error.NotFoundException no such policy
     */
    void deletePolicy(String name);

    /**
     * Runs the policy's create now, queued behind a running execution if there is one.
     *
     * @return the create's execution
     * @throws io.snapkeep.core.error.NotFoundException no such policy
     */
    Execution runPolicy(String name, String requestedBy);
}
