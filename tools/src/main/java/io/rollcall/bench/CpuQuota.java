package io.rollcall.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A CPU limit for an instance JVM, set as Kubernetes sets a container's CPU limit: a CFS quota of
 * a cgroup of its own (cgroup v1 {@code cpu.cfs_quota_us}, or v2 {@code cpu.max}). The JVM is
 * started inside the cgroup, so it sizes its thread pools and GC to the limit as in a pod.
 * Needs write access to the cgroup file system (root on a machine or VM).
 */
final class CpuQuota {

    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final long PERIOD_US = 100_000;

    private final Path group;
    private final Path procs;

    private CpuQuota(Path group, Path procs) {
        this.group = group;
        this.procs = procs;
    }

    /** A cgroup named {@code name} limited to {@code cpus} cores (e.g. 0.5), created or updated. */
    static CpuQuota create(String name, double cpus) {
        if (!(cpus > 0)) {
            throw new IllegalArgumentException("a CPU limit must be above 0 cores, not " + cpus);
        }
        long quota = Math.max(1_000, Math.round(cpus * PERIOD_US));
        try {
            Path v1 = ROOT.resolve("cpu");
            if (Files.isRegularFile(v1.resolve("cpu.cfs_quota_us"))) {
                Path group = Files.createDirectories(v1.resolve(name));
                Files.writeString(group.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
                Files.writeString(group.resolve("cpu.cfs_quota_us"), Long.toString(quota));
                return new CpuQuota(group, group.resolve("cgroup.procs"));
            }
            if (Files.isRegularFile(ROOT.resolve("cgroup.controllers"))) {
                Files.writeString(ROOT.resolve("cgroup.subtree_control"), "+cpu");
                Path group = Files.createDirectories(ROOT.resolve(name));
                Files.writeString(group.resolve("cpu.max"), quota + " " + PERIOD_US);
                return new CpuQuota(group, group.resolve("cgroup.procs"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.format(Locale.ROOT, "cannot limit instances to %s cores: "
                    + "writing the cgroup %s failed (%s); it needs root on a machine with the cgroup "
                    + "file system mounted read-write", cpus, name, e), e);
        }
        throw new IllegalStateException("cannot limit instances to " + cpus + " cores: no cgroup CPU "
                + "controller under " + ROOT);
    }

    /** {@code command} run inside this cgroup: a shell moves itself in, then becomes the command. */
    List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("sh", "-c", "echo $$ > '" + procs + "' && exec \"$0\" \"$@\""));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Removes the cgroup once no process is left in it; one still busy is left behind (empty, harmless). */
    void remove() {
        try {
            Files.deleteIfExists(group);
        } catch (IOException e) {
            // still busy: the kernel refuses to remove a cgroup with processes in it
        }
    }
}
