package io.snapkeep.app;

import io.snapkeep.core.support.BulkWork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the scheduling priority of the threads that do an execution's bulk work ({@link BulkWork}) to the
 * nice value {@code executions.nice}, on Linux. A create or restore keeps both cores of a small machine
 * busy; at equal priority a poll or a list waits for its turn behind the deflaters, at a lower one for the
 * work it answers at once, and the work still takes every cycle the requests leave.
 *
 * <p>Linux keeps a nice value per thread, which {@code renice --priority N -p <thread id>} sets (the JDK has no
 * call for it: {@code Thread.setPriority} does nothing on Linux unless the JVM is started with a flag). A
 * thread made by a lowered thread inherits its value, so the command runs only for the few bulk threads
 * made by others. Where there is no {@code /proc/thread-self} or no {@code renice}, or it fails, the work
 * runs at normal priority and a warning says so once.
 */
final class WorkPriority {
    private static final Logger LOG = LoggerFactory.getLogger(WorkPriority.class);
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");
    private static final long RENICE_TIMEOUT_SECONDS = 10;

    private final int nice;
    private final AtomicBoolean failed = new AtomicBoolean();

    private WorkPriority(int nice) {
        this.nice = nice;
    }

    /** Makes every bulk thread from now on run at {@code nice}; 0 leaves them as they are. */
    static void install(int nice) {
        if (nice == 0 || !Files.isDirectory(THREAD_SELF)) {
            BulkWork.onThreadStart(() -> { });
            return;
        }
        WorkPriority priority = new WorkPriority(nice);
        BulkWork.onThreadStart(priority::lowerCurrentThread);
    }

    /** The nice value of the calling thread, as Linux reports it. */
    static int currentNice() throws IOException {
        String stat = Files.readString(THREAD_SELF.resolve("stat"));
        // The command name in parentheses may hold spaces; the fields after it are plain. Nice is field 19.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }

    private void lowerCurrentThread() {
        if (failed.get()) {
            return;
        }
        try {
            if (currentNice() >= nice) {
                return;
            }
            String link = Files.readSymbolicLink(THREAD_SELF).toString(); // "<pid>/task/<tid>"
            String tid = link.substring(link.lastIndexOf('/') + 1);
            Process renice = new ProcessBuilder("renice", "--priority", Integer.toString(nice), "-p", tid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!renice.waitFor(RENICE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                renice.destroyForcibly();
                giveUp("renice did not answer");
            } else if (renice.exitValue() != 0 || currentNice() < nice) {
                giveUp("renice exited with " + renice.exitValue());
            }
        } catch (IOException | RuntimeException e) {
            giveUp(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void giveUp(String why) {
        if (failed.compareAndSet(false, true)) {
            LOG.warn("executions.nice: could not lower the priority of execution threads ({}); executions run at "
                    + "the priority of the process", why);
        }
    }
}
