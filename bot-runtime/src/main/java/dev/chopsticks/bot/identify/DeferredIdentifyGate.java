package dev.chopsticks.bot.identify;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A gate whose backend is still being created (the Redis client connects in parallel with the gateway's start):
 * the first acquire waits for it.
 */
public final class DeferredIdentifyGate implements IdentifyGate {
    private final CompletableFuture<IdentifyGate> gate;

    public DeferredIdentifyGate(CompletableFuture<IdentifyGate> gate) {
        this.gate = gate;
    }

    @Override
    public Lease acquire(int bucket, int shardId) throws InterruptedException {
        try {
            return gate.get().acquire(bucket, shardId);
        } catch (ExecutionException e) {
            throw new IllegalStateException("identify queue unavailable", e.getCause());
        }
    }

    @Override
    public void close() {
        gate.thenAccept(IdentifyGate::close);
    }
}
