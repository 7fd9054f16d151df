package dev.slabworks.benchmarks;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The run settings every benchmark of the suite shares, written once: each benchmark class extends
 * this. JMH's generator (1.37, {@code MethodGroup}/{@code BenchmarkGeneratorUtils.getAnnSuperAll})
 * looks for {@code @Fork}, {@code @Warmup}, {@code @Measurement}, {@code @BenchmarkMode} and
 * {@code @OutputTimeUnit} on the benchmark method, then its class, then each superclass, never on
 * {@code @State} classes, and takes each attribute from the nearest annotation that sets it: a class
 * that differs in one attribute sets only that one (see {@link RandomMixedBenchmark}). The resolved
 * values are in {@code target/classes/META-INF/BenchmarkList}; command-line options ({@code -f},
 * {@code -wi}, {@code -w}, {@code -i}, {@code -r}, ...) override them all.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class SuiteRunSettings {
}
