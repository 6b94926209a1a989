package io.snapkeep.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.error.InvalidParameterException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void create_defaults_are_the_apis() {
        CreateOptions d = CreateOptions.DEFAULTS;
        assertThat(d.includeCredentials()).isTrue();
        assertThat(d.includeMetrics()).isFalse();
        assertThat(d.includeLogs()).isTrue();
        assertThat(d.includeEvents()).isTrue();
        assertThat(d.queue()).isFalse();
        assertThat(d.categories()).containsExactlyInAnyOrder(StateCategory.STATE, StateCategory.CREDENTIALS,
                StateCategory.LOGS, StateCategory.EVENTS);
        assertThat(new CreateOptions(false, false, false, false, false).categories())
                .containsExactly(StateCategory.STATE);
        assertThat(new CreateOptions(false, true, false, false, false).categories())
                .containsExactlyInAnyOrder(StateCategory.STATE, StateCategory.METRICS);
    }

    @Test
    void create_options_round_trip_through_parameters() {
        CreateOptions o = new CreateOptions(false, true, false, true, true);
        assertThat(CreateOptions.fromParameters(o.asParameters())).isEqualTo(o);
        assertThat(CreateOptions.fromParameters(Map.of())).isEqualTo(CreateOptions.DEFAULTS);
    }

    @Test
    void restore_defaults_and_round_trip() {
        RestoreOptions d = RestoreOptions.DEFAULTS;
        assertThat(d.force()).isFalse();
        assertThat(d.recreateDeploymentsEnvs()).isTrue();
        assertThat(d.restoreCertificates()).isFalse();
        assertThat(d.noReboot()).isFalse();
        assertThat(d.ignorePluginFailure()).isFalse();
        RestoreOptions o = new RestoreOptions(true, false, true, true, true, "default_tenant", true);
        assertThat(RestoreOptions.fromParameters(o.asParameters())).isEqualTo(o);
    }

    @Test
    void no_reboot_needs_restore_certificates() {
        assertThatThrownBy(() -> new RestoreOptions(false, true, false, true, false, null, false))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("no_reboot").hasMessageContaining("restore_certificates");
    }

    @Test
    void value_records_validate() {
        assertThatThrownBy(() -> new ArchiveInfo(-1, "00".repeat(32))).hasMessageContaining("negative");
        assertThatThrownBy(() -> new ArchiveInfo(1, "xyz")).hasMessageContaining("64 hex");
        assertThat(new ArchiveInfo(1, "AB".repeat(32)).sha256()).isEqualTo("ab".repeat(32));
        assertThatThrownBy(() -> new Progress(-1, 0, 0)).hasMessageContaining("negative");
        assertThat(Progress.NONE.withTotal(5).plusEntry(10)).isEqualTo(new Progress(5, 1, 10));
        assertThat(new Progress(0, 0, 0).plusEntry(1).totalOperations()).isEqualTo(1);
        assertThatThrownBy(() -> ListQuery.all().page(-1, 10)).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ListQuery.all().page(0, -1)).isInstanceOf(InvalidParameterException.class);
    }
}
