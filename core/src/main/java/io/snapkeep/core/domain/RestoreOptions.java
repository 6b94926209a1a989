package io.snapkeep.core.domain;

import io.snapkeep.core.error.InvalidParameterException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a restore runs, with the API's defaults. Only {@code force} changes what Snapkeep does (replace
 * non-empty state); the others are Cloudify options that are validated and echoed.
 *
 * @param tenantName the tenant named by the client, or null
 */
public record RestoreOptions(boolean force, boolean recreateDeploymentsEnvs, boolean restoreCertificates,
                             boolean noReboot, boolean ignorePluginFailure, String tenantName, boolean queue) {

    public static final RestoreOptions DEFAULTS = new RestoreOptions(false, true, false, false, false, null, false);

    public RestoreOptions {
        if (noReboot && !restoreCertificates) {
            throw new InvalidParameterException(
                    "`no_reboot` can only be true when `restore_certificates` is true");
        }
    }

    public Map<String, Object> asParameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("force", force);
        p.put("recreate_deployments_envs", recreateDeploymentsEnvs);
        p.put("restore_certificates", restoreCertificates);
        p.put("no_reboot", noReboot);
        p.put("ignore_plugin_failure", ignorePluginFailure);
        p.put("tenant_name", tenantName);
        p.put("queue", queue);
        return p;
    }

    public static RestoreOptions fromParameters(Map<String, Object> p) {
        Object tenant = p.get("tenant_name");
        return new RestoreOptions(
                CreateOptions.bool(p, "force", DEFAULTS.force),
                CreateOptions.bool(p, "recreate_deployments_envs", DEFAULTS.recreateDeploymentsEnvs),
                CreateOptions.bool(p, "restore_certificates", DEFAULTS.restoreCertificates),
                CreateOptions.bool(p, "no_reboot", DEFAULTS.noReboot),
                CreateOptions.bool(p, "ignore_plugin_failure", DEFAULTS.ignorePluginFailure),
                tenant == null ? null : tenant.toString(),
                CreateOptions.bool(p, "queue", DEFAULTS.queue));
    }
}
