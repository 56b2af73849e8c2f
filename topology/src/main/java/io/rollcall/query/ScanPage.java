package io.rollcall.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One page of the cluster-wide scan, in unsigned id order.
 *
 * @param nextCursor    pass as {@code cursor} for the next page; null on the last page
 * @param servedBy      the instance that assembled the page
 * @param standbyParts  partitions read from a standby replica because their active was away
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScanPage(List<AggregateView> items, String nextCursor, String servedBy, List<Integer> standbyParts) {
}
