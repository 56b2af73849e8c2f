package io.rollcall.query;

/**
 * Where an answer came from: the instance (its {@code application.server}), and whether it
 * was read from a standby replica, with how many changelog records that replica is behind.
 */
public record Served(String instance, boolean standby, long lagRecords) {

    public static Served active(String instance) {
        return new Served(instance, false, 0);
    }
}
