package io.snapkeep.rest;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.PolicyStatus;
import io.snapkeep.core.domain.SnapshotPolicy;
import io.snapkeep.core.port.in.SnapshotPolicies;
import java.util.List;

/**
 * What the policy routes answer when the host gave no {@link SnapshotPolicies}: 404 {@code not_found_error}
 * saying so, for every route, so a client cannot mistake it for an empty list or a missing policy.
 */
final class NoPolicies implements SnapshotPolicies {
    static final String MESSAGE = "Snapshot policies are not enabled on this server";

    @Override
    public PolicyStatus putPolicy(SnapshotPolicy policy) {
        throw off();
    }

    @Override
    public List<PolicyStatus> policies() {
        throw off();
    }

    @Override
    public PolicyStatus policy(String name) {
        throw off();
    }

    @Override
    public void deletePolicy(String name) {
        throw off();
    }

    @Override
    public Execution runPolicy(String name, String requestedBy) {
        throw off();
    }

    static ApiError off() {
        return ApiError.notFound(MESSAGE);
    }
}
