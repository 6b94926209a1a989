package io.snapkeep.core.testing;

import io.snapkeep.core.port.out.ExecutionEventLog;
import io.snapkeep.core.port.out.ExecutionEventLogContract;

class InMemoryExecutionEventLogTest extends ExecutionEventLogContract {
    @Override
    protected ExecutionEventLog newLog() {
        return new InMemoryExecutionEventLog();
    }
}
