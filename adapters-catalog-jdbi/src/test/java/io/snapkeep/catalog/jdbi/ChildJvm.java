package io.snapkeep.catalog.jdbi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A main class of the test sources in a JVM of its own, with the tests' class path and a small heap. */
final class ChildJvm {
    private ChildJvm() {
    }

    static ProcessBuilder of(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx96m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classPath(),
                main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** Surefire runs tests from a manifest-only jar; it names the real class path in a property. */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
