package dev.slabworks.api.os;

/** The kernel refused to map memory: the allocator's equivalent of {@code malloc} returning NULL. */
public class OutOfNativeMemoryError extends OutOfMemoryError {
    public OutOfNativeMemoryError(String message) {
        super(message);
    }
}
