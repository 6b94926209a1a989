package io.snapkeep.core.support;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that never keep the JVM alive: background work (compression, store I/O, deferred deletes) must
 * not stop a process from exiting once its owner has closed.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** A factory of daemon threads named {@code <prefix>-1}, {@code <prefix>-2}, ... */
    public static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> newThread(prefix + "-" + count.incrementAndGet(), r);
    }

    /** One daemon thread, not started. */
    public static Thread newThread(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }

    /** One daemon thread, started. */
    public static Thread start(String name, Runnable task) {
        Thread t = newThread(name, task);
        t.start();
        return t;
    }
}
