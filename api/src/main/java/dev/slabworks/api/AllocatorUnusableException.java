package dev.slabworks.api;

/**
 * A call reached an allocator that is closed, or that an unexpected throwable (a {@link StackOverflowError},
 * an {@link OutOfMemoryError} of the Java heap, a bug) interrupted in the middle of an operation. In the
 * second case the allocator's state may be half changed, so it refuses every further call rather than risk
 * handing out a live block; the throwable that broke it is the cause. {@link Allocator#close()} still
 * releases its memory.
 */
public class AllocatorUnusableException extends IllegalStateException {
    public AllocatorUnusableException(String message, Throwable cause) {
        super(message, cause);
    }
}
