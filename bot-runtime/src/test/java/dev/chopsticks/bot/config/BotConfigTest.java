package dev.chopsticks.bot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BotConfigTest {
    private static final String PASSWORD = "s3cr3t/with@chars";

    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("POSTGRES_URL", "postgres://chopsticks:s3cr3t%2Fwith%40chars@pgbouncer:5432/chopsticks");
        env.put("DISCORD_TOKEN", "token-value");
        return env;
    }

    private static BotConfig load(Map<String, String> env) {
        return BotConfig.fromEnv(new EnvReader(env));
    }

    @Test
    void defaultsMatchTheScalingGuide() {
        BotConfig c = load(minimal());
        assertThat(c.postgres().poolMax()).isEqualTo(10);
        assertThat(c.postgres().poolMin()).isEqualTo(2);
        assertThat(c.redis().guildTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.redis().enabled()).isFalse();
        assertThat(c.localCache()).isEqualTo(LocalCacheConfig.defaults());
        assertThat(c.localCache().guildMax()).isEqualTo(2000);
        assertThat(c.localCache().guildTtl()).isEqualTo(Duration.ofMillis(60_000));
        assertThat(c.localCache().userMax()).isEqualTo(5000);
        assertThat(c.localCache().userTtl()).isEqualTo(Duration.ofMillis(30_000));
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.logLevel()).isEqualTo("info");
        assertThat(c.shards().shardIds()).containsExactly(0);
        assertThat(c.shardStatus().standbyDelay()).isEqualTo(Duration.ofMillis(750));
        assertThat(c.discord().apiBaseUrl().toString()).isEqualTo("https://discord.com/api/v10/");
        LoadTestConfig lt = LoadTestConfig.fromEnv(new EnvReader(Map.of()));
        assertThat(lt.duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(lt.connections()).isEqualTo(10);
    }

    @Test
    void postgresUrlIsConvertedToJdbcWithDecodedCredentials() {
        PostgresConfig pg = load(minimal()).postgres();
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://pgbouncer:5432/chopsticks");
        assertThat(pg.user()).contains("chopsticks");
        assertThat(pg.password().orElseThrow().reveal()).isEqualTo(PASSWORD);
        assertThat(PostgresConfig.parse("postgresql://u@db/app?sslmode=require").jdbcUrl())
                .isEqualTo("jdbc:postgresql://db/app?sslmode=require");
        assertThat(PostgresConfig.parse("jdbc:postgresql://db:5432/app?user=x").jdbcUrl())
                .isEqualTo("jdbc:postgresql://db:5432/app?user=x");
    }

    @Test
    void passwordsComeFromSeparateVariablesAsTheOperatorPassesThem() {
        // The operator's layout: no password in either URL, the Secrets' values in PGPASSWORD and REDIS_PASSWORD.
        Map<String, String> env = minimal();
        env.put("POSTGRES_URL", "postgres://chopsticks@c-pgbouncer:5432/chopsticks");
        env.put("PGPASSWORD", PASSWORD);
        env.put("REDIS_URL", "redis://c-redis:6379");
        env.put("REDIS_PASSWORD", "r3dis pa:ss@");
        BotConfig c = load(env);
        assertThat(c.postgres().user()).contains("chopsticks");
        assertThat(c.postgres().password().orElseThrow().reveal()).isEqualTo(PASSWORD);
        RedisURI redis = RedisURI.create(c.redis().url().orElseThrow().reveal());
        assertThat(redis.getHost()).isEqualTo("c-redis");
        assertThat(redis.getPort()).isEqualTo(6379);
        assertThat(redisPassword(redis)).isEqualTo("r3dis pa:ss@");
        assertThat(c.toString()).doesNotContain(PASSWORD).doesNotContain("r3dis");
    }

    @Test
    void passwordsInTheUrlsWinOverTheSeparateVariables() {
        Map<String, String> env = minimal();
        env.put("POSTGRES_PASSWORD", "other");
        env.put("REDIS_URL", "redis://:inurl@c-redis:6379/0");
        env.put("REDIS_PASSWORD", "other");
        BotConfig c = load(env);
        assertThat(c.postgres().password().orElseThrow().reveal()).isEqualTo(PASSWORD);
        assertThat(redisPassword(RedisURI.create(c.redis().url().orElseThrow().reveal())))
                .isEqualTo("inurl");
    }

    /** The password Lettuce will send with AUTH. */
    private static String redisPassword(RedisURI uri) {
        return new String(
                uri.getCredentialsProvider().resolveCredentials().block().getPassword());
    }

    @Test
    void theReaderNamesEveryVariableLookedUpAndNoValue() {
        Map<String, String> env = minimal();
        env.put("PGPASSWORD", "first");
        env.put("SHARDS_PER_POD", "1");
        env.put("POD_NAME", "c-shards-0");
        EnvReader reader = new EnvReader(env);
        BotConfig.fromEnv(reader);
        // the fallbacks count even when the first choice is set, and identity variables even outside Kubernetes
        assertThat(reader.namesRead())
                .contains(
                        "POSTGRES_URL",
                        "PGPASSWORD",
                        "POSTGRES_PASSWORD",
                        "CHOPSTICKS_CLUSTER",
                        "POD_NAMESPACE",
                        "POD_NAME",
                        "ADMIN_TOKEN")
                .doesNotContain("DASHBOARD_REFRESH_SECONDS");
        assertThat(String.join(",", reader.namesRead())).doesNotContain("first", PASSWORD);
    }

    @Test
    void dashboardNeedsNoDiscordSettings() {
        Map<String, String> env = new HashMap<>();
        env.put("POSTGRES_URL", "postgres://bot@pgbouncer:5432/chopsticks");
        env.put("ADMIN_TOKEN", "admin-token-value");
        env.put("CHOPSTICKS_CLUSTER", "c");
        env.put("POD_NAME", "c-dashboard-7d9f-abcde");
        EnvReader reader = new EnvReader(env);
        DashboardConfig c = DashboardConfig.fromEnv(reader);
        assertThat(c.identity().cluster()).hasValue("c");
        assertThat(c.identity().pod()).hasValue("c-dashboard-7d9f-abcde");
        assertThat(c.overviewRefresh()).hasSeconds(5);
        assertThat(reader.namesRead()).doesNotContain("DISCORD_TOKEN", "SHARD_COUNT");
        assertThat(c.toString()).doesNotContain("admin-token-value");
        env.put("DASHBOARD_REFRESH_SECONDS", "0");
        assertThatThrownBy(() -> DashboardConfig.fromEnv(new EnvReader(env)))
                .hasMessage("DASHBOARD_REFRESH_SECONDS: must be an integer from 1 to 3600, got '0'");
    }

    @Test
    void secretsNeverAppearInToString() {
        Map<String, String> env = minimal();
        env.put("ADMIN_TOKEN", "admin-token-value");
        env.put("REDIS_URL", "redis://:redispass@redis:6379");
        String text = load(env).toString();
        assertThat(text).doesNotContain(PASSWORD, "token-value", "admin-token-value", "redispass");
    }

    @Test
    void badValuesFailWithOneLineNamingTheVariable() {
        assertBad("PG_POOL_MAX", "abc", "PG_POOL_MAX: must be an integer from 1 to 1000, got 'abc'");
        assertBad("PG_POOL_MIN", "20", "PG_POOL_MIN: must be an integer from 0 to 10, got '20'");
        assertBad(
                "LOCAL_CACHE_GUILD_TTL",
                "-5",
                "LOCAL_CACHE_GUILD_TTL: must be an integer from 1 to 86400000, got '-5'");
        assertBad("GUILD_CACHE_TTL_SEC", "0", "GUILD_CACHE_TTL_SEC: must be an integer from 1 to 86400, got '0'");
        assertBad("LOG_LEVEL", "loud", "LOG_LEVEL: must be one of debug|error|info|trace|warn, got 'loud'");
        assertBad("HTTP_PORT", "70000", "HTTP_PORT: must be an integer from 0 to 65535, got '70000'");
        assertBad(
                "REDIS_CLUSTER_NODES",
                "a:1,b",
                "REDIS_CLUSTER_NODES: must be a comma-separated list of host:port (port 1-65535), got 'b'");
        assertBad(
                "SHARD_IDS",
                "0-3",
                "SHARD_IDS: must be shard ids or ranges from 0 to SHARD_COUNT-1 (0), e.g. 0,1 or 0-3, got '0-3'");
        assertBad(
                "INTERACTION_STANDBY_DELAY_MS",
                "2001",
                "INTERACTION_STANDBY_DELAY_MS: must be an integer from 0 to 2000, got '2001'");
        assertBad(
                "INTERACTION_STANDBY_DELAY_MS",
                "-1",
                "INTERACTION_STANDBY_DELAY_MS: must be an integer from 0 to 2000, got '-1'");
        assertBad(
                "DISCORD_GATEWAY_URL",
                "http://x",
                "DISCORD_GATEWAY_URL: must be an absolute ws|wss URL, got 'http://x'");
    }

    @Test
    void urlsWithPasswordsAreNeverEchoed() {
        Map<String, String> env = minimal();
        env.put("POSTGRES_URL", "mysql://root:hunter2@db/x");
        assertThatThrownBy(() -> load(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("POSTGRES_URL: ")
                .hasMessageNotContaining("hunter2");
        env.put("POSTGRES_URL", "postgres://a:b@h/d");
        env.put("REDIS_URL", "http://:hunter2@redis");
        assertThatThrownBy(() -> load(env))
                .hasMessageStartingWith("REDIS_URL: ")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void requiredVariablesAreNamed() {
        Map<String, String> env = minimal();
        env.remove("DISCORD_TOKEN");
        assertThatThrownBy(() -> load(env)).hasMessageStartingWith("DISCORD_TOKEN: is required");
        env.put("DISCORD_TOKEN", "t");
        env.remove("POSTGRES_URL");
        assertThatThrownBy(() -> load(env)).hasMessageStartingWith("POSTGRES_URL: is required");
    }

    @Test
    void redisStandaloneAndClusterAreExclusive() {
        Map<String, String> env = minimal();
        env.put("REDIS_CLUSTER_NODES", "h1:6379, h2:6380");
        assertThat(load(env).redis().clusterNodes())
                .extracting(Object::toString)
                .containsExactly("h1:6379", "h2:6380");
        env.put("REDIS_URL", "redis://x:6379");
        assertThatThrownBy(() -> load(env))
                .hasMessageStartingWith("REDIS_CLUSTER_NODES: must not be set together with REDIS_URL");
    }

    @Test
    void shardIdsAcceptListsAndRanges() {
        Map<String, String> env = minimal();
        env.put("SHARD_COUNT", "8");
        env.put("SHARD_IDS", "0-2,5");
        env.put("SHARDS_PER_POD", "4");
        ShardConfig shards = load(env).shards();
        assertThat(shards.shardIds()).isEqualTo(List.of(0, 1, 2, 5));
        assertThat(shards.shardsPerPod()).hasValue(4);
    }

    private static void assertBad(String name, String value, String message) {
        Map<String, String> env = minimal();
        env.put(name, value);
        assertThatThrownBy(() -> load(env))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
