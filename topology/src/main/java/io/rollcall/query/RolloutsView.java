package io.rollcall.query;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The status of every rollout, by service, and the instance that assembled the list. */
public record RolloutsView(List<Entry> rollouts, String servedBy) {

    /** One service's entry: its status read here, relayed from its owner, or why neither was possible. */
    public sealed interface Entry permits RolloutStatusView, Relayed, Unavailable {
    }

    /** The status as the owning instance rendered it (an instance of another version may add fields). */
    public record Relayed(JsonNode status) implements Entry {

        @JsonValue
        @Override
        public JsonNode status() {
            return status;
        }
    }

    public record Unavailable(String service, String error) implements Entry {
    }
}
