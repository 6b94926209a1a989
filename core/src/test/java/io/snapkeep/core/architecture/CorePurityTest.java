package io.snapkeep.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The core stays a pure domain: the JDK and itself, nothing else. */
@AnalyzeClasses(packages = "io.snapkeep.core", importOptions = ImportOption.DoNotIncludeTests.class)
class CorePurityTest {

    @ArchTest
    static final ArchRule core_depends_on_the_jdk_only = classes()
            .that().resideInAPackage("io.snapkeep.core..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.snapkeep.core..", "java..")
            .because("the core is embedded by hosts with their own frameworks; technology lives in adapters");

    @ArchTest
    static final ArchRule core_uses_no_jdbc = noClasses()
            .that().resideInAPackage("io.snapkeep.core..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "java.net.http..")
            .because("databases and remote stores are reached only through ports");

    @ArchTest
    static final ArchRule ports_and_domain_do_not_know_the_engine = noClasses()
            .that().resideInAnyPackage("io.snapkeep.core.domain..", "io.snapkeep.core.port..",
                    "io.snapkeep.core.error..")
            .should().dependOnClassesThat().resideInAPackage("io.snapkeep.core.application..")
            .because("adapters implement ports; ports must not drag the engine's internals into them");

    @ArchTest
    static final ArchRule core_packages_have_no_cycles = slices().matching("io.snapkeep.core.(**)")
            .should().beFreeOfCycles()
            .because("each layer of the core builds on the ones below it only");
}
