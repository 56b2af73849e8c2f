package io.rollcall.app;

import io.rollcall.config.RollcallConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.Resource;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka ACLs rollcall's principal needs on a cluster that enforces authorization, derived
 * from its configuration: the topics of {@link Topics#plan} and the events topic, Kafka Streams'
 * internal topics, consumer group and transactional ids (all named after the application id),
 * and the cluster. Deployment manifests (Strimzi's {@code KafkaUser}) are checked against this.
 *
 * <p>The topics must exist beforehand (as Strimzi {@code KafkaTopic}s make them): rollcall
 * creates only Kafka Streams' internal topics on such a cluster.
 */
public final class KafkaAccess {

    private KafkaAccess() {
    }

    /** Every ACL {@code principal} (e.g. {@code User:rollcall}) needs, allowed from any host. */
    public static List<AclBinding> required(RollcallConfig config, String principal) {
        List<AclBinding> acls = new ArrayList<>();
        String prefix = config.applicationId() + "-";
        // Read: the events (Streams' main consumer) and the rollout specs (the global store).
        topic(acls, principal, config.eventsTopic(), AclOperation.READ, AclOperation.DESCRIBE);
        // The specs are also written: PUT /api/v1/rollouts goes through rollcall's own producer.
        topic(acls, principal, config.rollouts().specsTopic(), AclOperation.READ, AclOperation.WRITE,
                AclOperation.DESCRIBE);
        for (String written : List.of(config.aggregatesTopic(), config.deadLetterTopic(),
                config.rollouts().verdictsTopic())) {
            topic(acls, principal, written, AclOperation.WRITE, AclOperation.DESCRIBE);
        }
        // Changelog and repartition topics: created and checked by Streams, read and written by its
        // tasks; records of repartition topics are purged once committed (DeleteRecords).
        for (AclOperation operation : List.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE,
                AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS, AclOperation.DELETE)) {
            acls.add(allow(new ResourcePattern(ResourceType.TOPIC, prefix, PatternType.PREFIXED), principal, operation));
        }
        // The consumer group is the application id; Read also lets rollcall read its offsets (progress figures).
        acls.add(allow(new ResourcePattern(ResourceType.GROUP, config.applicationId(), PatternType.LITERAL), principal,
                AclOperation.READ));
        // exactly_once_v2: one transactional producer per stream thread, its id prefixed with the application id.
        for (AclOperation operation : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
            acls.add(allow(new ResourcePattern(ResourceType.TRANSACTIONAL_ID, prefix, PatternType.PREFIXED), principal,
                    operation));
        }
        // Idempotent producers (every producer of rollcall's) on brokers that still ask for it, and cluster metadata.
        for (AclOperation operation : List.of(AclOperation.DESCRIBE, AclOperation.IDEMPOTENT_WRITE)) {
            acls.add(allow(new ResourcePattern(ResourceType.CLUSTER, Resource.CLUSTER_NAME, PatternType.LITERAL),
                    principal, operation));
        }
        return acls;
    }

    private static void topic(List<AclBinding> acls, String principal, String topic, AclOperation... operations) {
        for (AclOperation operation : operations) {
            acls.add(allow(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL), principal, operation));
        }
    }

    private static AclBinding allow(ResourcePattern resource, String principal, AclOperation operation) {
        return new AclBinding(resource, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
