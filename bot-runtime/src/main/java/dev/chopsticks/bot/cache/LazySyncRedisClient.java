package dev.chopsticks.bot.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.protocol.PushHandler;
import io.lettuce.core.pubsub.PubSubEndpoint;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnectionImpl;
import io.lettuce.core.pubsub.api.sync.RedisPubSubCommands;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;

/**
 * A standalone Lettuce client whose connections build their blocking API on first use of {@code sync()}. Lettuce
 * builds it eagerly for every connection: a JDK proxy over about 400 methods whose class initialiser and method map
 * are reflection, about 0.3 CPU-s of a bot's 2.4 CPU-s start, paid twice (commands, pub/sub). This process uses the
 * async API only, and a rolling step starts several bots at once on shared cores, so that time is pod start time.
 */
final class LazySyncRedisClient extends RedisClient {

    LazySyncRedisClient(ClientResources resources, RedisURI uri) {
        super(resources, uri);
    }

    @Override
    protected <K, V> StatefulRedisConnectionImpl<K, V> newStatefulRedisConnection(
            RedisChannelWriter writer, PushHandler pushHandler, RedisCodec<K, V> codec, Duration timeout) {
        return new Connection<>(writer, pushHandler, codec, timeout, getOptions());
    }

    @Override
    protected <K, V> StatefulRedisPubSubConnectionImpl<K, V> newStatefulRedisPubSubConnection(
            PubSubEndpoint<K, V> endpoint, RedisChannelWriter writer, RedisCodec<K, V> codec, Duration timeout) {
        return new PubSubConnection<>(endpoint, writer, codec, timeout);
    }

    private static final class Connection<K, V> extends StatefulRedisConnectionImpl<K, V> {
        private RedisCommands<K, V> lazySync;

        Connection(
                RedisChannelWriter writer,
                PushHandler pushHandler,
                RedisCodec<K, V> codec,
                Duration timeout,
                ClientOptions options) {
            super(writer, pushHandler, codec, timeout, options.getJsonParser());
        }

        /** Called by the constructor: nothing yet. */
        @Override
        protected RedisCommands<K, V> newRedisSyncCommandsImpl() {
            return null;
        }

        @Override
        public synchronized RedisCommands<K, V> sync() {
            if (lazySync == null) {
                lazySync = super.newRedisSyncCommandsImpl();
            }
            return lazySync;
        }
    }

    private static final class PubSubConnection<K, V> extends StatefulRedisPubSubConnectionImpl<K, V> {
        private RedisPubSubCommands<K, V> lazySync;

        PubSubConnection(
                PubSubEndpoint<K, V> endpoint, RedisChannelWriter writer, RedisCodec<K, V> codec, Duration timeout) {
            super(endpoint, writer, codec, timeout);
        }

        /** Called by the constructor: nothing yet. */
        @Override
        protected RedisPubSubCommands<K, V> newRedisSyncCommandsImpl() {
            return null;
        }

        @Override
        public synchronized RedisPubSubCommands<K, V> sync() {
            if (lazySync == null) {
                lazySync = super.newRedisSyncCommandsImpl();
            }
            return lazySync;
        }
    }
}
