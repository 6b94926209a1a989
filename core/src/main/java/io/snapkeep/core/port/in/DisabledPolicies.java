package io.snapkeep.core.port.in;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.PolicyStatus;
import io.snapkeep.core.domain.SnapshotPolicy;
import io.snapkeep.core.error.NotFoundException;
import java.util.List;

/** {@link SnapshotPolicies#disabled()}: every call says that there are no policies here. */
final class DisabledPolicies implements SnapshotPolicies {
    static final DisabledPolicies INSTANCE = new DisabledPolicies();

    private DisabledPolicies() {
    }

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

    private static NotFoundException off() {
        return new NotFoundException(MESSAGE);
    }

    static final String MESSAGE = "Snapshot policies are not enabled on this server";
}
