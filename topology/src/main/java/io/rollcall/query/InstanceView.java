package io.rollcall.query;

import java.util.List;

/** One instance of the application as the cluster's metadata shows it. */
public record InstanceView(String instance, boolean self, List<Integer> activePartitions,
                           List<Integer> standbyPartitions) {
}
