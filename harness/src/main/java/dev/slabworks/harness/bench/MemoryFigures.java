package dev.slabworks.harness.bench;

import dev.slabworks.api.MemoryUse;

/**
 * The memory of one run (the median repetition): live bytes (requested and not yet freed), mapped bytes and
 * resident bytes, each at its peak, at the end of the timed loop and, for mapped and resident, after the
 * workload freed everything and the allocator was trimmed. {@link #UNKNOWN} where a figure does not exist (a
 * native library that cannot tell, sampling switched off, a workload that does not say where its loop ends).
 * The {@code memory} object of a results file (docs/DESIGN.md §18). Live bytes are the workload's own, counted
 * exactly by a replay ({@code LiveBytesMeter}), so every contender of a workload has the same ones.
 *
 * @param residentBound how the resident figures stand to the bytes in RAM: counted, or a library's bound
 * @param residentFrom  how the resident figures were obtained (a strategy's {@code mincore} walk, a library's
 *                      statistic)
 * @param samples      readings taken during the run (the sampler's and those at its start and end)
 */
public record MemoryFigures(long liveBytesPeak, long liveBytesEnd, long mappedBytesPeak, long mappedBytesEnd,
                            long mappedBytesAfterTrim, long residentBytesPeak, long residentBytesEnd,
                            long residentBytesAfterTrim, int samples, MemoryUse.Bound residentBound,
                            String residentFrom) {
    /** A figure that does not exist. */
    public static final long UNKNOWN = -1;
    /** No figure at all (a failed run, a file written before memory was measured). */
    public static final MemoryFigures NONE = new MemoryFigures(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN,
            UNKNOWN, UNKNOWN, 0, MemoryUse.Bound.EXACT, null);

    /** Resident peak over live peak (1.00: no overhead), or NaN when either is unknown or live is 0. */
    public double overhead() {
        return residentBytesPeak < 0 || liveBytesPeak <= 0 ? Double.NaN : (double) residentBytesPeak / liveBytesPeak;
    }
}
