package dev.slabworks.harness.workload;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A multi-thread run's clean-up after its tasks, and which failure the caller sees ({@link Together#cleanUpThenRethrow}). */
class TogetherCleanUpTest {

    @Test
    void a_tasks_failure_is_rethrown_after_the_clean_up_ran() {
        AtomicBoolean cleaned = new AtomicBoolean();
        IllegalStateException task = new IllegalStateException("a task failed");
        assertThat(catchThrowable(() -> Together.cleanUpThenRethrow(task, () -> cleaned.set(true)))).isSameAs(task);
        assertThat(cleaned).isTrue();
    }

    @Test
    void a_clean_up_failing_after_a_task_failed_is_suppressed_in_the_tasks_failure_not_thrown_instead() {
        IllegalStateException task = new IllegalStateException("block corrupted in a task");
        IllegalArgumentException cleanUp = new IllegalArgumentException("and again in the clean-up");
        Throwable thrown = catchThrowable(() -> Together.cleanUpThenRethrow(task, () -> {
            throw cleanUp;
        }));
        assertThat(thrown).isSameAs(task);
        assertThat(thrown.getSuppressed()).containsExactly(cleanUp);
    }

    @Test
    void without_a_task_failure_the_clean_ups_own_failure_is_thrown_and_a_clean_run_throws_nothing() {
        IllegalStateException cleanUp = new IllegalStateException("the clean-up failed");
        assertThat(catchThrowable(() -> Together.cleanUpThenRethrow(null, () -> {
            throw cleanUp;
        }))).isSameAs(cleanUp);
        assertThatCode(() -> Together.cleanUpThenRethrow(null, () -> { })).doesNotThrowAnyException();
    }
}
