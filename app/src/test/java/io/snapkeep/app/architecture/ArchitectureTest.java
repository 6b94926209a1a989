package io.snapkeep.app.architecture;

import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The shape of Snapkeep across every module: a pure core, each technology in its own adapter, adapters
 * that meet the core only at its ports. Empty rules fail (ArchUnit's default), so a rule that names a
 * package nobody uses cannot pass quietly.
 */
@AnalyzeClasses(packages = "io.snapkeep",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NoTestJars.class})
public class ArchitectureTest {

    static final String CORE = "io.snapkeep.core..";
    static final String REST = "io.snapkeep.rest..";
    static final String FS = "io.snapkeep.storage.fs..";
    static final String S3 = "io.snapkeep.storage.s3..";
    static final String JDBI = "io.snapkeep.catalog.jdbi..";
    static final String PARTICIPANTS = "io.snapkeep.participants..";
    static final String APP = "io.snapkeep.app..";

    /** Core's test-jar (contract suites, in-memory ports) is test code too. */
    public static final class NoTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar");
        }
    }

    @ArchTest
    public static final ArchRule core_imports_no_framework = classes().that().resideInAPackage(CORE)
            .should().onlyDependOnClassesThat().resideInAnyPackage(CORE, "java..")
            .andShould().onlyDependOnClassesThat().resideOutsideOfPackages("java.sql..", "java.net.http..")
            .because("hosts embed the core with their own frameworks; only adapters bring technology");

    @ArchTest
    static final ArchRule minio_only_in_the_s3_store = noClasses().that().resideOutsideOfPackage(S3)
            .should().dependOnClassesThat().resideInAnyPackage("io.minio..", "okhttp3..")
            .because("S3 is one storage adapter among others; swapping storage must not touch the rest");

    @ArchTest
    static final ArchRule jdbi_only_in_the_jdbi_catalog = noClasses().that().resideOutsideOfPackage(JDBI)
            .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "org.h2..", "org.flywaydb..",
                    "org.postgresql..", "com.zaxxer..")
            .because("the catalog's database is an adapter: moving to PostgreSQL changes one module");

    @ArchTest
    static final ArchRule jdbc_only_in_the_catalog_and_the_participants = noClasses()
            .that().resideOutsideOfPackages(JDBI, PARTICIPANTS)
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..")
            .because("SQL is reached by the catalog (its own tables) and by the jdbc_tables participant (the"
                    + " host's tables), and by nothing else");

    @ArchTest
    static final ArchRule participants_and_catalog_stay_apart = noClasses().that().resideInAPackage(PARTICIPANTS)
            .should().dependOnClassesThat().resideInAPackage(JDBI)
            .orShould().dependOnClassesThat().resideInAPackage(APP)
            .because("a participant captures the host's state; the catalog is Snapkeep's own and is never in a"
                    + " snapshot, so neither may borrow from the other");

    @ArchTest
    static final ArchRule catalog_knows_no_participant = noClasses().that().resideInAPackage(JDBI)
            .should().dependOnClassesThat().resideInAPackage(PARTICIPANTS)
            .because("the catalog is Snapkeep's own state and must not grow into a participant again");

    @ArchTest
    static final ArchRule rest_framework_only_in_rest_and_app = noClasses()
            .that().resideOutsideOfPackages(REST, APP)
            .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "org.glassfish..")
            .because("HTTP is a driver of the core, not part of it");

    @ArchTest
    static final ArchRule cron_library_only_in_app = noClasses().that().resideOutsideOfPackage(APP)
            .should().dependOnClassesThat().resideInAPackage("com.cronutils..")
            .because("the core reads schedules through its CronSchedules port; the app picks the cron library");

    @ArchTest
    static final ArchRule jetty_only_in_app = noClasses().that().resideOutsideOfPackage(APP)
            .should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty..")
            .because("the REST adapter is mountable in any servlet container; only the app picks Jetty");

    @ArchTest
    static final ArchRule micrometer_only_in_app = noClasses().that().resideOutsideOfPackage(APP)
            .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.prometheus..")
            .because("the REST adapter serves whatever text the host scrapes; only the app picks a metrics library");

    @ArchTest
    static final ArchRule adapters_meet_the_core_at_its_ports = noClasses()
            .that().resideInAnyPackage(REST, FS, S3, JDBI, PARTICIPANTS)
            .should().dependOnClassesThat().resideInAnyPackage("io.snapkeep.core.application..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("io.snapkeep.core.Snapkeep")
            .because("adapters implement or drive ports; the engine's internals may change freely");

    @ArchTest
    static final ArchRule adapters_do_not_know_each_other = slices()
            .matching("io.snapkeep.(rest|storage.fs|storage.s3|catalog.jdbi|participants)..")
            .should().notDependOnEachOther()
            .because("only the app knows every adapter; each can be replaced alone");

    /**
     * One edge is allowed against the package order: the entry point {@code Snapkeep.builder()} hands out
     * the builder of the engine that implements it, so that hosts name nothing but {@code Snapkeep}.
     */
    @ArchTest
    static final ArchRule no_package_cycles = slices().matching("io.snapkeep.(**)")
            .should().beFreeOfCycles()
            .ignoreDependency(name("io.snapkeep.core.Snapkeep"), name("io.snapkeep.core.application.SnapkeepBuilder"))
            .because("cycles make modules impossible to understand or replace one at a time");
}
