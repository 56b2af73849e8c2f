package io.rollcall.query;

/**
 * How a read may be answered.
 *
 * @param fresh     only the active store may answer (no standby fallback)
 * @param forwarded the request came from another instance: answer from local stores only
 * @param standby   (forwarded requests) answer from a local standby replica
 */
public record ReadOptions(boolean fresh, boolean forwarded, boolean standby) {

    public static final ReadOptions DEFAULT = new ReadOptions(false, false, false);
}
