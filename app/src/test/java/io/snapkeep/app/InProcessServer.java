package io.snapkeep.app;

import io.snapkeep.app.config.SnapkeepConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The whole server started in the test's JVM from environment-style settings, on a free port. */
final class InProcessServer {
    private InProcessServer() {
    }

    static SnapkeepServer start(Path dataDir, String adminPassword, Map<String, String> settings) throws Exception {
        Map<String, String> env = new HashMap<>(settings);
        env.put("SNAPKEEP_DATA_DIR", dataDir.toString());
        env.put("SNAPKEEP_ADMIN_PASSWORD", adminPassword);
        env.put("SNAPKEEP_PORT", "0");
        return SnapkeepServer.start(SnapkeepConfig.load(Optional.empty(), env), line -> { });
    }
}
