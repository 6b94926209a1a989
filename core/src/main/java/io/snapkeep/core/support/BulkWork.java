package io.snapkeep.core.support;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that do bulk work: running an execution, compressing, digesting, reading ahead and writing
 * archives. That work can keep every core busy for minutes, and a request (a poll, a list, a login) that
 * waits for a core behind it is answered late. So each such thread first runs what the embedding
 * application set with {@link #onThreadStart}, for example to lower its scheduling priority: the requests
 * then take a core at once, and the work, which uses what they leave, goes on at nearly the same speed.
 *
 * <p>Process-wide, like the scheduler it speaks to. A thread made by a bulk thread inherits its priority on
 * most systems, so the hook may find nothing to do.
 */
public final class BulkWork {
    private static volatile Runnable atThreadStart = () -> { };

    private BulkWork() {
    }

    /** What every bulk thread runs first, before its work; it must not throw, nor wait for long. */
    public static void onThreadStart(Runnable hook) {
        atThreadStart = Objects.requireNonNull(hook, "hook");
    }

    /** A factory of daemon bulk threads named {@code <prefix>-1}, {@code <prefix>-2}, ... */
    public static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> newThread(prefix + "-" + count.incrementAndGet(), task);
    }

    /** One daemon bulk thread, not started. */
    public static Thread newThread(String name, Runnable task) {
        Objects.requireNonNull(task, "task");
        return DaemonThreads.newThread(name, () -> {
            atThreadStart.run();
            task.run();
        });
    }

    /** One daemon bulk thread, started. */
    public static Thread start(String name, Runnable task) {
        Thread t = newThread(name, task);
        t.start();
        return t;
    }
}
