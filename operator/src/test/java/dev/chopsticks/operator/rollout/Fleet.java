package dev.chopsticks.operator.rollout;

import dev.chopsticks.api.v1alpha1.ShardPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A mutable test model of one shard generation (pods and Shards) that builds the planner's immutable view. Pods
 * start on the given revision, every shard Ready in a session of its pod, the last heartbeat at {@link #t0()}.
 */
final class Fleet {
    static final String STS = "c-shards";
    final int generation;
    final int shards;
    final int perPod;
    String target;
    /** Whether the StatefulSet controller has seen {@link #target} (false right after a template change). */
    boolean controllerCurrent = true;

    final Map<Integer, PodState> pods = new HashMap<>();
    final Map<Integer, ShardState> shardStates = new HashMap<>();
    private int uid;

    Fleet(int shards, int perPod, String target, Instant created) {
        this(1, shards, perPod, target, created);
    }

    Fleet(int generation, int shards, int perPod, String target, Instant created) {
        this.generation = generation;
        this.shards = shards;
        this.perPod = perPod;
        this.target = target;
        for (int p = 0; p < podCount(); p++) {
            pods.put(p, pod(p, target, created));
            for (int id : ids(p)) {
                shardStates.put(
                        id,
                        new ShardState(
                                id,
                                "c-" + id,
                                ShardPhase.Ready,
                                created.plusSeconds(1),
                                t0(),
                                null,
                                List.of(),
                                0,
                                null,
                                null));
            }
        }
    }

    int podCount() {
        return (shards + perPod - 1) / perPod;
    }

    List<Integer> ids(int ordinal) {
        List<Integer> out = new ArrayList<>();
        for (int i = ordinal * perPod; i < Math.min((ordinal + 1) * perPod, shards); i++) {
            out.add(i);
        }
        return out;
    }

    PodState pod(int ordinal, String hash, Instant created) {
        return new PodState(
                STS + "-" + ordinal, "uid-" + (++uid), ordinal, hash, created, false, true, null, "rv-" + uid);
    }

    String podName(int ordinal) {
        return STS + "-" + ordinal;
    }

    GenerationState state() {
        return new GenerationState(generation, shards, perPod, STS, target, controllerCurrent, pods, shardStates);
    }

    /** The StatefulSet controller recreated a deleted pod from the current template. */
    void recreate(int ordinal, Instant at) {
        pods.put(ordinal, pod(ordinal, target, at));
    }

    /** The bots of a pod report Ready, their sessions started at {@code at}. */
    void ready(int ordinal, Instant at) {
        for (int id : ids(ordinal)) {
            ShardState s = shardStates.get(id);
            shardStates.put(
                    id,
                    new ShardState(
                            id,
                            s.name(),
                            ShardPhase.Ready,
                            at,
                            at,
                            s.restartedAt(),
                            s.respawnedAt(),
                            s.respawnCount(),
                            s.identifyRemaining(),
                            s.identifyTotal()));
        }
    }

    /** The bots of a pod report a phase without a new session. */
    void phase(int ordinal, ShardPhase phase) {
        for (int id : ids(ordinal)) {
            ShardState s = shardStates.get(id);
            shardStates.put(
                    id,
                    new ShardState(
                            id,
                            s.name(),
                            phase,
                            s.sessionStartedAt(),
                            s.lastHeartbeat(),
                            s.restartedAt(),
                            s.respawnedAt(),
                            s.respawnCount(),
                            s.identifyRemaining(),
                            s.identifyTotal()));
        }
    }

    /** What the executor writes before deleting a pod. */
    void recordRestart(int ordinal, RestartReason reason, Instant at) {
        for (int id : ids(ordinal)) {
            ShardState s = shardStates.get(id);
            if (reason.isRespawn()) {
                List<Instant> times = new ArrayList<>(s.respawnedAt());
                times.add(at);
                shardStates.put(
                        id,
                        new ShardState(
                                id,
                                s.name(),
                                s.phase(),
                                s.sessionStartedAt(),
                                s.lastHeartbeat(),
                                s.restartedAt(),
                                times,
                                s.respawnCount() + 1,
                                s.identifyRemaining(),
                                s.identifyTotal()));
            } else {
                shardStates.put(
                        id,
                        new ShardState(
                                id,
                                s.name(),
                                s.phase(),
                                s.sessionStartedAt(),
                                s.lastHeartbeat(),
                                at,
                                s.respawnedAt(),
                                s.respawnCount(),
                                s.identifyRemaining(),
                                s.identifyTotal()));
            }
        }
    }

    void dead(int ordinal, String why) {
        PodState p = pods.get(ordinal);
        pods.put(
                ordinal,
                new PodState(
                        p.name(),
                        p.uid(),
                        ordinal,
                        p.templateHash(),
                        p.createdAt(),
                        false,
                        true,
                        why,
                        p.resourceVersion()));
    }

    /** Every live bot reports a heartbeat. */
    void heartbeatAll(Instant at) {
        pods.keySet().forEach(o -> heartbeat(o, at));
    }

    void heartbeat(int ordinal, Instant at) {
        for (int id : ids(ordinal)) {
            ShardState s = shardStates.get(id);
            shardStates.put(
                    id,
                    new ShardState(
                            id,
                            s.name(),
                            s.phase(),
                            s.sessionStartedAt(),
                            at,
                            s.restartedAt(),
                            s.respawnedAt(),
                            s.respawnCount(),
                            s.identifyRemaining(),
                            s.identifyTotal()));
        }
    }

    static Instant t0() {
        return Instant.parse("2025-06-01T12:00:00Z");
    }

    static Duration s(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
