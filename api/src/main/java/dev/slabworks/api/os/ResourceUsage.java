package dev.slabworks.api.os;

/** The part of {@code getrusage(RUSAGE_SELF)} a report prints: page faults and context switches. */
public record ResourceUsage(long minorFaults, long majorFaults, long voluntaryContextSwitches,
                            long involuntaryContextSwitches, long maxResidentKiB) {

    /** What happened between {@code earlier} and this one (max RSS is kept as measured now). */
    public ResourceUsage since(ResourceUsage earlier) {
        return new ResourceUsage(minorFaults - earlier.minorFaults, majorFaults - earlier.majorFaults,
                voluntaryContextSwitches - earlier.voluntaryContextSwitches,
                involuntaryContextSwitches - earlier.involuntaryContextSwitches, maxResidentKiB);
    }
}
