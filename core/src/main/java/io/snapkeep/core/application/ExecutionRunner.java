package io.snapkeep.core.application;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.support.BulkWork;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs snapshot executions one at a time on a single worker thread: first those handed over already
 * holding the slot, then queued ones in FIFO order as the catalog promotes them.
 */
final class ExecutionRunner {
    private static final System.Logger LOG = System.getLogger(ExecutionRunner.class.getName());

    private final ExecutionCatalog executions;
    private final String node;
    private final Consumer<Execution> run;
    private final LinkedBlockingQueue<Execution> ready = new LinkedBlockingQueue<>();
    private final Semaphore signal = new Semaphore(0);
    private final Thread worker;
    private volatile boolean closed;

    ExecutionRunner(ExecutionCatalog executions, String node, Consumer<Execution> run) {
        this.executions = executions;
        this.node = node;
        this.run = run;
        this.worker = BulkWork.newThread("snapkeep-executions", this::loop);
    }

    void start() {
        worker.start();
    }

    /** Runs {@code pending}, which already holds the slot, as soon as the worker is free. */
    void submit(Execution pending) {
        ready.add(pending);
        signal.release();
    }

    /** Looks for queued work now (the slot may have been freed). */
    void wake() {
        signal.release();
    }

    private void loop() {
        while (!closed) {
            try {
                Optional<Execution> next = Optional.ofNullable(ready.poll());
                if (next.isEmpty()) {
                    next = executions.promoteNextQueued(node);
                }
                if (next.isPresent()) {
                    run.accept(next.get());
                    continue;
                }
                // The timeout is a safety net for work queued by another process sharing the catalog.
                signal.tryAcquire(2, TimeUnit.SECONDS);
                signal.drainPermits();
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
                Thread.interrupted();
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "The execution runner hit an unexpected error; it keeps running", e);
                if (!closed) {
                    // Back off a little so a persistently failing catalog does not spin the core.
                    try {
                        signal.tryAcquire(1, TimeUnit.SECONDS);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    /** Stops taking work and waits for the running execution to wind down, at most {@code millis}. */
    void stop(long millis) throws InterruptedException {
        closed = true;
        signal.release();
        worker.join(millis);
    }
}
