package dev.slabworks.layering;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layering rules of docs/DESIGN.md §3.2, one test each (L1 ... L9). They run in the benchmarks module
 * because its test class path is the only one holding every module's classes: api, testkit, the three
 * strategies, the harness and the benchmarks. The rules are about main code, told from test code by where a
 * class was loaded from; L5 also covers the test code on this class path.
 */
@AnalyzeClasses(packages = "dev.slabworks")
class LayeringTest {
    private static final String API = "dev.slabworks.api..";
    private static final String TESTKIT_CAMPAIGN = "dev.slabworks.testkit.campaign..";
    private static final String TESTKIT_REFERENCE = "dev.slabworks.testkit.reference..";
    private static final String TESTKIT_CONTRACT = "dev.slabworks.testkit.contract..";
    private static final String KERNEL = "dev.slabworks.api.os.Kernel";
    /** The names of {@code Kernel}'s calls (its instance methods). */
    private static final java.util.Set<String> KERNEL_CALLS = java.util.Arrays.stream(
                    dev.slabworks.api.os.Kernel.class.getMethods())
            .filter(m -> !java.lang.reflect.Modifier.isStatic(m.getModifiers()))
            .map(java.lang.reflect.Method::getName).collect(java.util.stream.Collectors.toSet());
    private static final String[] STRATEGIES = {
        "dev.slabworks.superslab..", "dev.slabworks.sharedpool..", "dev.slabworks.mimalloc..", "dev.slabworks.segfit.."};

    /** Loaded from a test output directory. */
    static final DescribedPredicate<JavaClass> TEST_CODE = DescribedPredicate.describe("test code", LayeringTest::isTest);
    static final DescribedPredicate<JavaClass> MAIN_CODE = DescribedPredicate.describe("main code", c -> !isTest(c));

    // ---- L1

    @ArchTest
    static final ArchRule api_uses_nothing_but_the_jdk = classes()
            .that().resideInAPackage(API).and(MAIN_CODE)
            .should().onlyDependOnClassesThat().resideInAnyPackage(API, "java..")
            .because("api stands alone (docs/DESIGN.md §3.2, L1)");

    // ---- L2

    @ArchTest
    static final ArchRule superslab_sees_only_api = seesOnlyApi("dev.slabworks.superslab");

    @ArchTest
    static final ArchRule shared_pool_sees_only_api = seesOnlyApi("dev.slabworks.sharedpool");

    @ArchTest
    static final ArchRule mimalloc_like_sees_only_api = seesOnlyApi("dev.slabworks.mimalloc");

    @ArchTest
    static final ArchRule segregated_fit_sees_only_api = seesOnlyApi("dev.slabworks.segfit");

    @ArchTest
    static final ArchRule strategies_use_guice_only_to_register_themselves = noClasses()
            .that().resideInAnyPackage(STRATEGIES).and(MAIN_CODE).and().areNotAssignableTo("com.google.inject.Module")
            .should().dependOnClassesThat().resideInAPackage("com.google.inject..")
            .because("a strategy's Guice module is its one tie to the harness (docs/DESIGN.md §3.2, L2)");

    // ---- L3

    @ArchTest
    static final ArchRule strategies_are_found_not_named = noClasses()
            .that().resideInAnyPackage(API, "dev.slabworks.harness..", "dev.slabworks.benchmarks..").and(MAIN_CODE)
            .should().dependOnClassesThat().resideInAnyPackage(STRATEGIES)
            .because("strategies are reached through Guice's MapBinder only (docs/DESIGN.md §3.2, L3)");

    // ---- L4, L5

    @ArchTest
    static final ArchRule only_the_os_layer_and_the_baselines_use_a_linker = noClasses()
            .that().resideOutsideOfPackages("dev.slabworks.api.os", "dev.slabworks.harness.baseline").and(MAIN_CODE)
            .should().dependOnClassesThat().belongToAnyOf(java.lang.foreign.Linker.class)
            .because("native code has two doors (docs/DESIGN.md §3.2, L4)");

    @ArchTest
    static final ArchRule only_the_os_layer_touches_the_c_library = noClasses()
            .that().resideOutsideOfPackage("dev.slabworks.api.os")
            .should().dependOnClassesThat().haveFullyQualifiedName("dev.slabworks.api.os.NativeLibc")
            .because("the C library's functions are api.os's own (docs/DESIGN.md §3.2, L4)");

    @ArchTest
    static final ArchRule the_kernel_is_called_through_an_os_only = noClasses()
            .that().resideOutsideOfPackage("dev.slabworks.api.os").and(MAIN_CODE)
            .and().areNotAssignableTo(KERNEL)
            .should().callMethodWhere(DescribedPredicate.describe("a call of the kernel",
                    (JavaMethodCall call) -> call.getTargetOwner().isAssignableTo(KERNEL)
                            && KERNEL_CALLS.contains(call.getName())))
            .because("every kernel call an allocator makes goes through its Os, which counts it and gives its "
                    + "failure one meaning; only a kernel wrapping another calls one directly (docs/DESIGN.md §3.2, L4)");

    @ArchTest
    static final ArchRule nothing_uses_unsafe = noClasses()
            .should().dependOnClassesThat().haveFullyQualifiedName("sun.misc.Unsafe")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("jdk.internal.misc.Unsafe")
            .because("off-heap memory goes through java.lang.foreign only (docs/DESIGN.md §3.2, L5)");

    // ---- L6

    @ArchTest
    static final ArchRule api_packages_form_no_cycle = slices().assignedFrom(new ApiPackages()).should().beFreeOfCycles()
            .because("docs/DESIGN.md §3.2, L6");

    @ArchTest
    static final ArchRule api_os_stands_alone = standsAlone("dev.slabworks.api.os");

    @ArchTest
    static final ArchRule api_knobs_stands_alone = standsAlone("dev.slabworks.api.knobs");

    @ArchTest
    static final ArchRule api_sizeclass_stands_alone = standsAlone("dev.slabworks.api.sizeclass");

    @ArchTest
    static final ArchRule api_list_stands_alone = standsAlone("dev.slabworks.api.list");

    @ArchTest
    static final ArchRule api_heap_uses_only_the_spi_and_the_os_layer = noClasses()
            .that().resideInAPackage("dev.slabworks.api.heap..").and(MAIN_CODE)
            .should().dependOnClassesThat(resideInAPackage("dev.slabworks..")
                    .and(resideOutsideOfPackages("dev.slabworks.api", "dev.slabworks.api.heap..", "dev.slabworks.api.os..")))
            .because("the heap bookkeeping sees only the SPI's exceptions and the OS layer's barrier (docs/DESIGN.md §3.2, L6)");

    // ---- L7

    @ArchTest
    static final ArchRule harness_packages_are_layered = harnessLayers();

    private static ArchRule harnessLayers() {
        Architectures.LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("main").definedBy("dev.slabworks.harness")
                .layer("cli").definedBy("dev.slabworks.harness.cli..")
                .layer("reliability").definedBy("dev.slabworks.harness.reliability..")
                .layer("report").definedBy("dev.slabworks.harness.report..")
                .layer("experiment").definedBy("dev.slabworks.harness.experiment..")
                .layer("bench").definedBy("dev.slabworks.harness.bench..")
                .layer("workload").definedBy("dev.slabworks.harness.workload..")
                .layer("wiring").definedBy("dev.slabworks.harness.wiring..")
                .layer("baseline").definedBy("dev.slabworks.harness.baseline..")
                .layer("jvm").definedBy("dev.slabworks.harness.jvm..")
                .layer("usage").definedBy("dev.slabworks.harness.usage..")
                .layer("knobs").definedBy("dev.slabworks.harness.knobs..")
                .whereLayer("main").mayNotBeAccessedByAnyLayer()
                .whereLayer("cli").mayOnlyBeAccessedByLayers("main")
                .whereLayer("reliability").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("report").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("experiment").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("bench").mayOnlyBeAccessedByLayers("cli", "reliability", "report", "experiment")
                .whereLayer("workload").mayOnlyBeAccessedByLayers("cli", "bench", "experiment")
                .whereLayer("wiring").mayOnlyBeAccessedByLayers("cli", "bench", "reliability", "experiment")
                .whereLayer("baseline").mayOnlyBeAccessedByLayers("wiring")
                .whereLayer("jvm").mayOnlyBeAccessedByLayers("bench", "reliability")
                .whereLayer("usage").mayOnlyBeAccessedByLayers("cli", "reliability")
                .whereLayer("knobs").mayNotAccessAnyLayer();
        return layers.because("docs/DESIGN.md §3.4, L7");
    }

    // ---- L8

    @ArchTest
    static final ArchRule main_code_uses_no_test_code = noClasses().that(MAIN_CODE)
            .should().dependOnClassesThat(TEST_CODE)
            .because("docs/DESIGN.md §3.2, L8");

    /** L8 means something only if test code is told apart: testkit is main code, this class is not. */
    @ArchTest
    static void test_code_is_told_from_main_code(JavaClasses classes) {
        assertThat(TEST_CODE.test(classes.get(LayeringTest.class))).isTrue();
        assertThat(MAIN_CODE.test(classes.get("dev.slabworks.testkit.campaign.HostileFreeCampaign"))).isTrue();
        assertThat(MAIN_CODE.test(classes.get("dev.slabworks.api.Allocator"))).isTrue();
        assertThat(MAIN_CODE.test(classes.get("dev.slabworks.harness.reliability.HostileCommand"))).isTrue();
    }

    // ---- L9

    @ArchTest
    static final ArchRule testkit_campaigns_and_reference_use_only_api = classes()
            .that().resideInAnyPackage(TESTKIT_CAMPAIGN, TESTKIT_REFERENCE).and(MAIN_CODE)
            .should().onlyDependOnClassesThat().resideInAnyPackage(TESTKIT_CAMPAIGN, TESTKIT_REFERENCE, API, "java..")
            .because("what the harness runs needs no test library (docs/DESIGN.md §3.2, L9)");

    @ArchTest
    static final ArchRule the_harness_runs_testkit_campaigns_only = noClasses()
            .that().resideInAPackage("dev.slabworks.harness..").and(MAIN_CODE)
            .should().dependOnClassesThat().resideInAnyPackage(TESTKIT_CONTRACT, TESTKIT_REFERENCE)
            .because("the contract suite needs JUnit, which the harness's jar does not hold (docs/DESIGN.md §3.2, L9)");

    // ---- helpers

    private static ArchRule seesOnlyApi(String strategy) {
        return classes().that().resideInAPackage(strategy + "..").and(MAIN_CODE)
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage(strategy + "..", API, "java..", "com.google.inject..")
                .because("a strategy sees only api, the JDK and Guice (docs/DESIGN.md §3.2, L2)");
    }

    private static ArchRule standsAlone(String pkg) {
        return noClasses().that().resideInAPackage(pkg + "..").and(MAIN_CODE)
                .should().dependOnClassesThat(resideInAPackage("dev.slabworks..").and(resideOutsideOfPackage(pkg + "..")))
                .because("api's bottom packages use no other slabworks package (docs/DESIGN.md §3.2, L6)");
    }

    private static boolean isTest(JavaClass c) {
        return c.getSource().map(s -> {
            String where = s.getUri().toString();
            return where.contains("/test-classes/");
        }).orElse(false);
    }

    /** api's root package and each of its subpackages, one slice each (main code only). */
    private static final class ApiPackages implements SliceAssignment {
        private static final String ROOT = "dev.slabworks.api";

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String p = c.getPackageName();
            if (!MAIN_CODE.test(c) || !(p.equals(ROOT) || p.startsWith(ROOT + "."))) {
                return SliceIdentifier.ignore();
            }
            return SliceIdentifier.of(p.equals(ROOT) ? "api" : "api." + p.substring(ROOT.length() + 1).split("\\.")[0]);
        }

        @Override
        public String getDescription() {
            return "api's packages";
        }
    }
}
