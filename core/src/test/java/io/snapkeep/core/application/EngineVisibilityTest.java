package io.snapkeep.core.application;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Hosts meet the engine only as {@code io.snapkeep.core.Snapkeep}: its parts are not public. */
@AnalyzeClasses(packages = "io.snapkeep.core.application", importOptions = ImportOption.DoNotIncludeTests.class)
class EngineVisibilityTest {

    @ArchTest
    static final ArchRule only_the_builder_is_public = noClasses()
            .that().resideInAPackage("io.snapkeep.core.application")
            .and().doNotHaveFullyQualifiedName(SnapkeepBuilder.class.getName())
            .should().bePublic()
            .because("the engine's workflows, locks and runner may change without any host noticing");
}
