package dev.slabworks.harness.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slabworks.api.MemoryUse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The results file, schema {@code slabworks.result/1} (docs/DESIGN.md §18, a contract: scripts
 * read it):
 * <pre>
 * {"schema": "slabworks.result/1", "jdk", "commit", "machine": {...}, "created", "command",
 *  "runs": [{"strategy", "kind", "workload", "args", "knobs", "warmup", "opsPerSecMedian",
 *            "opsPerSecMin", "opsPerSecMax", "opsPerSec": [...], "ops", "seconds",
 *            "syscalls": {"mmap": {"count", "seconds"}, "munmap", "madvise", "mincore", "membarrier"} | null,
 *            "syscallsByCause": {"superslab_map": {"mmap", "munmap", "madvise", "mincore", "seconds"}, ...,
 *                                "close": {...}} | null,
 *            "pageFaults": {"minor", "major"}, "stats": {...}, "workloadCounts": {...},
 *            "memory": {...}, "error": null | "...",
 *            "label", "point": {...}, "knobSources": {...}, "opsPerSecCi": {"low", "high", "confidence"},
 *            "repetitions": [{"opsPerSec", "syscalls": {...} | null, "residentBytesPeak", "workloadCounts": {...},
 *                             "crossCpuNanos" | null}]}],
 *  "experiment": null | {"name", "question", "file", "text"}}
 * </pre>
 * {@code label}: the row's name (the strategy's unless a sweep or an experiment names it); {@code point}: the swept
 * knobs' values of this row; {@code knobSources}: where each knob's value came from; {@code opsPerSecCi}: the
 * median's confidence interval ({@link MedianInterval}); {@code repetitions}: each measured repetition's own figures,
 * {@code crossCpuNanos} the host's cross-CPU round trip just before it ({@link CrossCpuProbe}; null when not measured).
 * These and {@code experiment} are absent in files written before they existed, and read as a plain run.
 * {@code syscalls} count one run of the median repetition (allocator setup, loop and the workload's final frees),
 * not the runner's {@code trim()} and {@code close()} after it; with {@code allocator.lifetime} RUN (recorded in
 * {@code knobs} as the lifetime AUTO chose) the median repetition's own calls on the allocator kept through the run; {@code syscallsByCause} splits the same calls by
 * cause ({@link SyscallCauses}), with close's apart (absent in files written before causes were counted).
 * {@code workloadCounts}: what the workload counted besides ops in the median repetition (for example
 * {@code hakmem-random-mixed}'s prefault allocations, {@code mt-remote}'s remote sends and remote share in
 * percent); empty for workloads that count nothing else, absent in files written before it existed.
 * {@code memory} (bytes; null where a figure does not exist; absent in files written before it existed):
 * {@code liveBytesPeak}, {@code liveBytesEnd}, {@code mappedBytesPeak}, {@code mappedBytesEnd},
 * {@code mappedBytesAfterTrim}, {@code residentBytesPeak}, {@code residentBytesEnd}, {@code residentBytesAfterTrim},
 * {@code overhead} (resident peak / live peak), {@code samples}, {@code residentBound} ({@code exact},
 * {@code atLeast}, {@code atMost} or {@code estimate}: a library's bound or estimate) and {@code residentFrom} (how resident was obtained). See {@link MemoryFigures}.
 */
public final class ResultsJson {
    public static final String SCHEMA = "slabworks.result/1";
    /**
     * The environment variable the launcher sets to its checkout: results files go under its {@code results/}
     * ({@link #directory()}) and record its git commit.
     */
    public static final String HOME = "SLABWORKS_HOME";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsJson() {
    }

    /** The whole document for {@code runs} of {@code command}. */
    public static ObjectNode document(List<RunResult> runs, String command) {
        return document(runs, header(command, null));
    }

    /** The header of a run of {@code command} in this JVM, now, on this machine ({@code experiment} may be null). */
    public static ResultsHeader header(String command, ResultsHeader.Experiment experiment) {
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("arch", System.getProperty("os.arch"));
        machine.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("host", hostName());
        return new ResultsHeader(System.getProperty("java.vm.vendor") + " " + Runtime.version(), commit(), machine,
                Instant.now().toString(), command, experiment);
    }

    /** The whole document for {@code runs} under {@code header}. */
    public static ObjectNode document(List<RunResult> runs, ResultsHeader header) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("jdk", header.jdk());
        root.put("commit", header.commit());
        ObjectNode machine = root.putObject("machine");
        header.machine().forEach((k, v) -> {
            if (k.equals("cpus") && v.matches("\\d+")) {
                machine.put(k, Integer.parseInt(v));
            } else {
                machine.put(k, v);
            }
        });
        root.put("created", header.created());
        root.put("command", header.command());
        ArrayNode array = root.putArray("runs");
        runs.forEach(r -> array.add(run(r)));
        ResultsHeader.Experiment e = header.experiment();
        if (e == null) {
            root.putNull("experiment");
        } else {
            root.putObject("experiment").put("name", e.name()).put("question", e.question()).put("file", e.file())
                    .put("text", e.text());
        }
        return root;
    }

    static ObjectNode run(RunResult r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("strategy", r.strategy());
        n.put("kind", r.kind());
        n.put("workload", r.workload());
        ArrayNode args = n.putArray("args");
        r.args().forEach(args::add);
        ObjectNode knobs = n.putObject("knobs");
        r.knobs().forEach(knobs::put);
        n.put("warmup", r.warmup());
        n.put("opsPerSecMedian", r.opsPerSecMedian());
        n.put("opsPerSecMin", r.opsPerSecMin());
        n.put("opsPerSecMax", r.opsPerSecMax());
        ArrayNode reps = n.putArray("opsPerSec");
        for (double v : r.opsPerSec()) {
            reps.add(v);
        }
        ArrayNode forks = n.putArray("forkMedians"); // empty unless each contender ran in JVMs of its own (--forks)
        for (double v : r.forkMedians()) {
            forks.add(v);
        }
        if (r.hasForkSpreadP()) {
            n.put("forkSpreadP", r.forkSpreadP()); // JvmEffect: whether the JVMs differ beyond their repetitions' scatter
        }
        n.put("ops", r.ops());
        n.put("seconds", r.medianSeconds());
        if (r.syscalls() == null) {
            n.putNull("syscalls");
        } else {
            ObjectNode sys = n.putObject("syscalls");
            r.syscalls().forEach((name, s) -> sys.putObject(name).put("count", s.count()).put("seconds", s.seconds()));
        }
        if (r.syscallsByCause() == null) {
            n.putNull("syscallsByCause");
        } else {
            r.syscallsByCause().write(n.putObject("syscallsByCause"));
        }
        n.putObject("pageFaults").put("minor", r.minorFaults()).put("major", r.majorFaults());
        ObjectNode stats = n.putObject("stats");
        r.stats().forEach(stats::put);
        counts(n.putObject("workloadCounts"), r.workloadCounts());
        memory(n.putObject("memory"), r.memory());
        if (r.error() == null) {
            n.putNull("error");
        } else {
            n.put("error", r.error());
        }
        n.put("label", r.label());
        ObjectNode point = n.putObject("point");
        r.variant().point().forEach(point::put);
        ObjectNode sources = n.putObject("knobSources");
        r.variant().sources().forEach(sources::put);
        MedianInterval ci = r.opsPerSecInterval();
        n.putObject("opsPerSecCi").put("low", ci.low()).put("high", ci.high()).put("confidence", ci.confidence());
        ArrayNode repetitions = n.putArray("repetitions");
        for (Repetition rep : r.repetitions()) {
            ObjectNode o = repetitions.addObject();
            o.put("opsPerSec", rep.opsPerSec());
            if (rep.syscalls() == null) {
                o.putNull("syscalls");
            } else {
                ObjectNode calls = o.putObject("syscalls");
                rep.syscalls().forEach(calls::put);
            }
            bytes(o, "residentBytesPeak", rep.residentBytesPeak());
            counts(o.putObject("workloadCounts"), rep.workloadCounts());
            if (Double.isNaN(rep.crossCpuNanos())) {
                o.putNull("crossCpuNanos");
            } else {
                o.put("crossCpuNanos", rep.crossCpuNanos());
            }
        }
        return n;
    }

    private static Variant variant(JsonNode n, String strategy) {
        Map<String, String> point = new LinkedHashMap<>();
        n.path("point").properties().forEach(e -> point.put(e.getKey(), e.getValue().asText()));
        Map<String, String> sources = new LinkedHashMap<>();
        n.path("knobSources").properties().forEach(e -> sources.put(e.getKey(), e.getValue().asText()));
        String label = n.path("label").isTextual() ? n.path("label").asText() : strategy;
        return new Variant(label, point, sources);
    }

    private static List<Repetition> repetitions(JsonNode n) {
        List<Repetition> out = new ArrayList<>();
        for (JsonNode o : n.path("repetitions")) {
            Map<String, Long> calls = null;
            if (o.path("syscalls").isObject()) {
                calls = new LinkedHashMap<>();
                for (var e : o.path("syscalls").properties()) {
                    calls.put(e.getKey(), e.getValue().asLong());
                }
            }
            out.add(new Repetition(o.path("opsPerSec").asDouble(), calls, bytes(o, "residentBytesPeak"),
                    counts(o.path("workloadCounts")),
                    o.path("crossCpuNanos").isNumber() ? o.path("crossCpuNanos").asDouble() : Double.NaN));
        }
        return out;
    }

    /** A workload's counts: whole numbers as such, shares as decimals. */
    private static void counts(ObjectNode into, Map<String, Number> counts) {
        counts.forEach((key, value) -> {
            if (value instanceof Double || value instanceof Float) {
                into.put(key, value.doubleValue());
            } else {
                into.put(key, value.longValue());
            }
        });
    }

    /** {@link #counts(ObjectNode, Map)} read back; empty when absent (older files kept none per repetition). */
    private static Map<String, Number> counts(JsonNode from) {
        Map<String, Number> counts = new LinkedHashMap<>();
        from.properties().forEach(e -> counts.put(e.getKey(),
                e.getValue().isIntegralNumber() ? (Number) e.getValue().asLong() : e.getValue().asDouble()));
        return counts;
    }

    /** The {@code memory} object: every figure in bytes, null where it does not exist. */
    private static void memory(ObjectNode m, MemoryFigures f) {
        bytes(m, "liveBytesPeak", f.liveBytesPeak());
        bytes(m, "liveBytesEnd", f.liveBytesEnd());
        bytes(m, "mappedBytesPeak", f.mappedBytesPeak());
        bytes(m, "mappedBytesEnd", f.mappedBytesEnd());
        bytes(m, "mappedBytesAfterTrim", f.mappedBytesAfterTrim());
        bytes(m, "residentBytesPeak", f.residentBytesPeak());
        bytes(m, "residentBytesEnd", f.residentBytesEnd());
        bytes(m, "residentBytesAfterTrim", f.residentBytesAfterTrim());
        if (Double.isNaN(f.overhead())) {
            m.putNull("overhead");
        } else {
            m.put("overhead", f.overhead());
        }
        m.put("samples", f.samples());
        m.put("residentBound", switch (f.residentBound()) {
            case EXACT -> "exact";
            case AT_LEAST -> "atLeast";
            case AT_MOST -> "atMost";
            case ESTIMATE -> "estimate";
        });
        m.put("residentFrom", f.residentFrom());
    }

    private static void bytes(ObjectNode m, String key, long value) {
        if (value < 0) {
            m.putNull(key);
        } else {
            m.put(key, value);
        }
    }

    private static MemoryFigures memory(JsonNode m) {
        if (!m.isObject()) {
            return MemoryFigures.NONE;
        }
        return new MemoryFigures(bytes(m, "liveBytesPeak"), bytes(m, "liveBytesEnd"), bytes(m, "mappedBytesPeak"),
                bytes(m, "mappedBytesEnd"), bytes(m, "mappedBytesAfterTrim"), bytes(m, "residentBytesPeak"),
                bytes(m, "residentBytesEnd"), bytes(m, "residentBytesAfterTrim"), m.path("samples").asInt(),
                switch (m.path("residentBound").asText()) {
                    case "atLeast" -> MemoryUse.Bound.AT_LEAST;
                    case "atMost" -> MemoryUse.Bound.AT_MOST;
                    case "estimate" -> MemoryUse.Bound.ESTIMATE;
                    default -> MemoryUse.Bound.EXACT;
                }, m.path("residentFrom").isTextual() ? m.path("residentFrom").asText() : null);
    }

    private static long bytes(JsonNode m, String key) {
        JsonNode v = m.path(key);
        return v.isIntegralNumber() ? v.asLong() : MemoryFigures.UNKNOWN;
    }

    public static void write(Path file, ObjectNode document) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            MAPPER.writeValue(file.toFile(), document);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the runs of a results file; anything but a {@code slabworks.result/1} document is an error naming the file. */
    public static List<RunResult> read(Path file) {
        return readDocument(file).runs();
    }

    /** A results file as read: its header and its runs. */
    public record Document(ResultsHeader header, List<RunResult> runs) {
    }

    /** Reads a whole results file; anything but a {@code slabworks.result/1} document is an error naming the file. */
    public static Document readDocument(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("results file not found: " + file);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        if (root == null || !SCHEMA.equals(root.path("schema").asText())) {
            throw new IllegalArgumentException(file + " is not a " + SCHEMA + " results file (its \"schema\" is "
                    + (root == null ? "missing" : root.path("schema")) + ")");
        }
        List<RunResult> out = new ArrayList<>();
        for (JsonNode n : root.path("runs")) {
            List<String> args = new ArrayList<>();
            n.path("args").forEach(a -> args.add(a.asText()));
            Map<String, String> knobs = new LinkedHashMap<>();
            n.path("knobs").properties().forEach(e -> knobs.put(e.getKey(), e.getValue().asText()));
            JsonNode reps = n.path("opsPerSec");
            double[] ops = new double[reps.size()];
            for (int i = 0; i < ops.length; i++) {
                ops[i] = reps.get(i).asDouble();
            }
            Map<String, RunResult.Syscall> sys = null;
            if (n.path("syscalls").isObject()) {
                sys = new LinkedHashMap<>();
                for (var e : n.path("syscalls").properties()) {
                    sys.put(e.getKey(), new RunResult.Syscall(e.getValue().path("count").asLong(),
                            e.getValue().path("seconds").asDouble()));
                }
            }
            Map<String, Long> stats = new LinkedHashMap<>();
            n.path("stats").properties().forEach(e -> stats.put(e.getKey(), e.getValue().asLong()));
            String error = n.path("error").isTextual() ? n.path("error").asText() : null;
            JsonNode forkNode = n.path("forkMedians"); // absent in files written before --forks
            double[] forks = new double[forkNode.size()];
            for (int i = 0; i < forks.length; i++) {
                forks[i] = forkNode.get(i).asDouble();
            }
            Map<String, Number> counts = counts(n.path("workloadCounts"));
            String strategy = n.path("strategy").asText();
            out.add(new RunResult(strategy, n.path("kind").asText(), n.path("workload").asText(),
                    args, knobs, n.path("warmup").asInt(), ops, n.path("ops").asLong(), n.path("seconds").asDouble(),
                    sys, n.path("pageFaults").path("minor").asLong(), n.path("pageFaults").path("major").asLong(),
                    stats, error, forks, counts, memory(n.path("memory")), variant(n, strategy), repetitions(n),
                    SyscallCauses.read(n.path("syscallsByCause"))));
        }
        Map<String, String> machine = new LinkedHashMap<>();
        root.path("machine").properties().forEach(e -> machine.put(e.getKey(), e.getValue().asText()));
        JsonNode e = root.path("experiment");
        ResultsHeader.Experiment experiment = e.isObject() ? new ResultsHeader.Experiment(e.path("name").asText(),
                e.path("question").asText(), e.path("file").asText(), e.path("text").asText()) : null;
        ResultsHeader header = new ResultsHeader(root.path("jdk").asText(), root.path("commit").asText(), machine,
                root.path("created").asText(), root.path("command").asText(), experiment);
        return new Document(header, out);
    }

    /**
     * Creates {@code file} (empty) so that no other run writes there while this one runs; a file already there is
     * an error unless {@code overwrite}. Returns {@code file}.
     */
    public static Path reserve(Path file, boolean overwrite) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (overwrite) {
                if (!Files.exists(file)) {
                    Files.createFile(file);
                }
            } else {
                Files.createFile(file);
            }
            return file;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IllegalArgumentException(file + " exists; give another --json FILE, or --force to overwrite it");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates a new empty {@code base.json} under {@code directory}, or {@code base-2.json}, {@code base-3.json}, ...
     * when taken (two runs started in the same second): each run gets a file of its own.
     */
    public static Path reserveUnique(Path directory, String base) {
        try {
            Files.createDirectories(directory);
            for (int i = 1; ; i++) {
                Path file = directory.resolve(base + (i == 1 ? "" : "-" + i) + ".json");
                try {
                    return Files.createFile(file);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // taken: try the next
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a results file under " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Where results files go unless a command is told otherwise: {@code results/} in {@value #HOME}, else here. */
    public static Path directory() {
        String home = System.getenv(HOME);
        return home == null ? Path.of("results") : Path.of(home, "results");
    }

    /** The commit of the checkout the launcher ran from ({@value #HOME}), or "unknown". */
    static String commit() {
        String home = System.getenv().getOrDefault(HOME, ".");
        try {
            Process p = new ProcessBuilder("git", "-C", home, "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{40}")) {
                Process d = new ProcessBuilder("git", "-C", home, "status", "--porcelain", "--untracked-files=no")
                        .redirectErrorStream(true).start();
                String dirty = new String(d.getInputStream().readAllBytes()).strip();
                d.waitFor(5, TimeUnit.SECONDS);
                return dirty.isEmpty() ? out : out + "-dirty";
            }
        } catch (IOException e) {
            // no git: fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
