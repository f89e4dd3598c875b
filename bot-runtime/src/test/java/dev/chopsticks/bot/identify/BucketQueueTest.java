package dev.chopsticks.bot.identify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.utils.SessionController.SessionConnectNode;
import org.junit.jupiter.api.Test;

class BucketQueueTest {

    private record Node(int shard) implements SessionConnectNode {
        @Override
        public boolean isReconnect() {
            return false;
        }

        @Override
        public JDA getJDA() {
            throw new UnsupportedOperationException();
        }

        @Override
        public JDA.ShardInfo getShardInfo() {
            return new JDA.ShardInfo(shard, 16);
        }

        @Override
        public void run(boolean isLast) {}
    }

    private static BucketQueue.Entry now(int shard) {
        long t = System.nanoTime();
        return new BucketQueue.Entry(new Node(shard), t, t);
    }

    @Test
    void lowestShardFirstRemovedNodesNeverRun() throws Exception {
        BucketQueue q = new BucketQueue();
        q.add(now(12));
        q.add(now(4));
        q.add(now(8));
        q.remove(new Node(8));
        assertThat(q.take().shardId()).isEqualTo(4);
        assertThat(q.take().shardId()).isEqualTo(12);
        assertThat(q.size()).isZero();
    }

    @Test
    void aRefusedShardWaitsForItsRetryTimeWithoutBlockingTheOthers() throws Exception {
        BucketQueue q = new BucketQueue();
        long start = System.nanoTime();
        long later = start + Duration.ofMillis(300).toNanos();
        q.add(new BucketQueue.Entry(new Node(0), later, later));
        q.add(now(4));
        assertThat(q.take().shardId()).isEqualTo(4);
        assertThat(q.take().shardId()).isEqualTo(0);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void takeWakesUpWhenANodeArrives() throws Exception {
        BucketQueue q = new BucketQueue();
        CompletableFuture<Integer> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return q.take().shardId();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        q.add(now(5));
        assertThat(taken.get(5, TimeUnit.SECONDS)).isEqualTo(5);
    }
}
