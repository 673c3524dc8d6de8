package dev.parkit.spark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.parkit.internal.ChunkTask;
import dev.parkit.internal.Engine;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Spark module's boundaries, as the toolkit's ArchitectureTest pins the toolkit's: which types
 * are public, no package cycles (the root package included), its internals used only by its
 * façade, and the toolkit reached only through its public API.
 */
class SparkArchitectureTest {
    private static JavaClasses spark;

    /** Every public top-level type of the module. */
    private static final Set<String> PUBLIC_TYPES = Set.of(
            // the façade and what a user holds
            "dev.parkit.spark.Spark", "dev.parkit.spark.SparkCluster", "dev.parkit.spark.ClusterPool",
            "dev.parkit.spark.RemoteException",
            // ./bench --spark
            "dev.parkit.spark.bench.SparkBenchmark",
            // the machinery: public only for the façade (shouldLetOnlyTheFacadeUseItsInternals)
            "dev.parkit.spark.internal.ClusterTask", "dev.parkit.spark.internal.Codec",
            "dev.parkit.spark.internal.ExecutorPools", "dev.parkit.spark.internal.KernelJars",
            "dev.parkit.spark.internal.Packager", "dev.parkit.spark.internal.SliceJobs", "dev.parkit.spark.internal.SliceCosts", "dev.parkit.spark.internal.Slice",
            "dev.parkit.spark.internal.SliceResult", "dev.parkit.spark.internal.SliceRun", "dev.parkit.spark.internal.SliceTask",
            "dev.parkit.spark.internal.SnippetClasses", "dev.parkit.spark.internal.TaskPackage",
            "dev.parkit.spark.internal.TableItems", "dev.parkit.spark.internal.SentPackages");

    /** Each package of the module is a slice, the root package ({@code dev.parkit.spark}) included. */
    private static final SliceAssignment EVERY_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            return c.getPackageName().startsWith("dev.parkit.spark") ? SliceIdentifier.of(c.getPackageName())
                    : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "every package of dev.parkit.spark, the root package included";
        }
    };

    @BeforeAll
    static void importModule() {
        spark = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.parkit.spark");
    }

    @Test
    void shouldKeepThePublicSurfaceToTheAllowList() {
        Set<String> publicTypes = spark.stream()
                .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC) && c.isTopLevelClass())
                .map(JavaClass::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(PUBLIC_TYPES), publicTypes);
    }

    /**
     * The one cycle the module has today, between its façade and its internals: an executor's
     * slice ({@code SliceRun}, shared by the classic driver and Spark Connect) wraps a cause it
     * cannot send in the public {@link RemoteException}. The test below fails once the dependency is
     * gone, as a reminder to drop this exception.
     */
    private static final String KNOWN_CYCLE_FROM = "dev.parkit.spark.internal.SliceRun";
    private static final String KNOWN_CYCLE_TO = "dev.parkit.spark.RemoteException";

    @Test
    void shouldHaveNoPackageCyclesTheRootPackageIncluded() {
        slices().assignedFrom(EVERY_PACKAGE).should().beFreeOfCycles()
                .ignoreDependency(KNOWN_CYCLE_FROM, KNOWN_CYCLE_TO)
                .check(spark);
    }

    @Test
    void shouldStillHaveTheOneKnownCycle() {
        boolean still = spark.get(KNOWN_CYCLE_FROM).getDirectDependenciesFromSelf().stream()
                .anyMatch(d -> d.getTargetClass().getName().equals(KNOWN_CYCLE_TO));
        org.junit.jupiter.api.Assertions.assertTrue(still,
                KNOWN_CYCLE_FROM + " no longer uses " + KNOWN_CYCLE_TO + ": drop the known cycle's exception");
    }

    @Test
    void shouldLetOnlyTheFacadeUseItsInternals() {
        noClasses().that().resideOutsideOfPackages("dev.parkit.spark", "dev.parkit.spark.internal..")
                .should().dependOnClassesThat().resideInAPackage("dev.parkit.spark.internal..")
                .check(spark);
    }

    @Test
    void shouldUseOnlyTheToolkitsPublicApi() {
        noClasses().that().resideInAPackage("dev.parkit.spark..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.parkit.internal..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(ChunkTask.class,
                                ChunkTask.Outcomes.class, Engine.class))))
                .because("the toolkit's engine is its façade's business; a backend uses the public API,"
                        + " the one seam where work leaves the JVM (ChunkTask and its Outcomes), and an"
                        + " io Engine for the call's runners that wait on remote chunks (Calls.Target takes one)")
                .check(spark);
    }
}
