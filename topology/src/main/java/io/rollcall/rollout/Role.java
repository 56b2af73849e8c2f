package io.rollcall.rollout;

/** Which side of a rollout an event belongs to, by its {@code labels.revision}. */
public enum Role {
    CANARY,
    BASELINE
}
