package dev.chopsticks.bot.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Jackson-backed codec for record values. */
public final class JsonCodec<V> implements ValueCodec<V> {
    private final ObjectMapper mapper;
    private final Class<V> type;

    public JsonCodec(ObjectMapper mapper, Class<V> type) {
        this.mapper = mapper;
        this.type = type;
    }

    @Override
    public String encode(V value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + type.getSimpleName(), e);
        }
    }

    @Override
    public V decode(String text) {
        try {
            return mapper.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot decode " + type.getSimpleName(), e);
        }
    }
}
