package io.snapkeep.app.architecture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.snapkeep.catalog.jdbi.archfixture.CatalogUsingAParticipant;
import io.snapkeep.core.archfixture.CoreClassReadingCron;
import io.snapkeep.core.archfixture.CoreClassUsingJdbi;
import io.snapkeep.participants.archfixture.ParticipantUsingTheCatalog;
import org.junit.jupiter.api.Test;

/** The rules are not vacuous: on a bad class set they fail, naming the offence. */
class ArchitectureRulesFireTest {
    private final JavaClasses bad = new ClassFileImporter().importClasses(CoreClassUsingJdbi.class);

    @Test
    void a_core_class_using_a_framework_breaks_the_purity_rule() {
        assertThatThrownBy(() -> ArchitectureTest.core_imports_no_framework.check(bad))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("CoreClassUsingJdbi")
                .hasMessageContaining("org.jdbi.v3.core.Jdbi");
    }

    @Test
    void a_core_class_using_jdbc_technology_breaks_the_adapter_rule() {
        assertThatThrownBy(() -> ArchitectureTest.jdbi_only_in_the_jdbi_catalog.check(bad))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("CoreClassUsingJdbi");
    }

    @Test
    void a_participant_using_the_catalog_breaks_the_separation_rule() {
        JavaClasses participant = new ClassFileImporter().importClasses(ParticipantUsingTheCatalog.class);
        assertThatThrownBy(() -> ArchitectureTest.participants_and_catalog_stay_apart.check(participant))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("ParticipantUsingTheCatalog")
                .hasMessageContaining("io.snapkeep.catalog.jdbi.JdbiCatalog");
    }

    @Test
    void a_catalog_class_using_a_participant_breaks_the_separation_rule() {
        JavaClasses catalog = new ClassFileImporter().importClasses(CatalogUsingAParticipant.class);
        assertThatThrownBy(() -> ArchitectureTest.catalog_knows_no_participant.check(catalog))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("CatalogUsingAParticipant")
                .hasMessageContaining("DirectoryParticipant");
    }

    @Test
    void a_class_outside_the_app_reading_cron_breaks_the_cron_rule() {
        JavaClasses core = new ClassFileImporter().importClasses(CoreClassReadingCron.class);
        assertThatThrownBy(() -> ArchitectureTest.cron_library_only_in_app.check(core))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("CoreClassReadingCron")
                .hasMessageContaining("com.cronutils.parser.CronParser");
    }
}
