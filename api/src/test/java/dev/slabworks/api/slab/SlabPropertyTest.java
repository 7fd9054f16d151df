package dev.slabworks.api.slab;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.sizeclass.SizeClasses;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Any sequence of slab operations keeps the slab's invariants and agrees with a model. */
class SlabPropertyTest {
    @FuzzTest(maxDuration = "10s")
    void any_operation_sequence_keeps_the_invariants(FuzzedDataProvider data) {
        Os os = new Os();
        Mapping memory = os.map(data.consumeInt(1, 16) * 4096L);
        try {
            int cls = data.consumeInt(0, SizeClasses.classOf(4096));
            if (SizeClasses.size(cls) > memory.size()) {
                return;
            }
            Slab s = new Slab(memory.address(), memory.size(), cls);
            Set<Long> allocated = new HashSet<>();
            List<Long> cached = new ArrayList<>();
            Set<Long> remote = new HashSet<>();
            Set<Long> taken = new HashSet<>();
            long[] buffer = new long[64];
            while (data.remainingBytes() > 0) {
                switch (data.consumeInt(0, 6)) {
                    case 0 -> {
                        long p = s.allocate();
                        if (p != 0) {
                            taken.remove(p);
                            assertThat(allocated.add(p) && !cached.contains(p)).isTrue();
                        }
                    }
                    case 1 -> {
                        int n = s.take(buffer, 0, data.consumeInt(1, 64));
                        for (int i = 0; i < n; i++) {
                            taken.remove(buffer[i]);
                            assertThat(allocated).doesNotContain(buffer[i]);
                            cached.add(buffer[i]);
                        }
                    }
                    case 2 -> {
                        if (!allocated.isEmpty()) {
                            long p = allocated.iterator().next();
                            allocated.remove(p);
                            s.freeLocal(s.indexOf(p), p);
                        }
                    }
                    case 3 -> {
                        if (!allocated.isEmpty()) {
                            long p = allocated.iterator().next();
                            allocated.remove(p);
                            assertThat(s.freeRemote(s.indexOf(p), p)).isTrue();
                            remote.add(p);
                        }
                    }
                    case 4 -> {
                        assertThat(s.collectRemote()).isEqualTo(remote.size() + taken.size());
                        remote.clear();
                        taken.clear();
                    }
                    case 5 -> {
                        if (taken.isEmpty()) {
                            assertThat(s.takeRemote()).isEqualTo(!remote.isEmpty());
                            taken.addAll(remote);
                            remote.clear();
                        }
                        for (long p : taken) {
                            assertThat(s.freeRemote(s.indexOf(p), p)).as("a second free of a taken block").isFalse();
                        }
                    }
                    default -> {
                        if (!cached.isEmpty()) {
                            s.giveBack(cached.removeLast());
                        }
                    }
                }
                s.checkInvariants();
                assertThat(s.used()).isEqualTo(allocated.size() + cached.size() + remote.size() + taken.size());
            }
        } finally {
            os.unmap(memory);
        }
    }
}
