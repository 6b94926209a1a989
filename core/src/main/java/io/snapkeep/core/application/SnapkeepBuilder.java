package io.snapkeep.core.application;

import io.snapkeep.core.Snapkeep;
import io.snapkeep.core.application.archive.ArchiveLimits;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.port.out.ExecutionEventLog;
import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.core.port.out.NodeCatalog;
import io.snapkeep.core.port.out.CronSchedules;
import io.snapkeep.core.port.out.PolicyCatalog;
import io.snapkeep.core.port.in.Reconcile.ReconcileReport;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Collects the ports a {@link Snapkeep} is built from; get one from {@link Snapkeep#builder()}. Every port
 * but the participants and the optional settings is required. The one public class of this package: the
 * engine it builds stays internal.
 */
public final class SnapkeepBuilder {
    private ArchiveStore archiveStore;
    private SnapshotCatalog snapshotCatalog;
    private ExecutionCatalog executionCatalog;
    private ExecutionEventLog eventLog;
    private final List<StateParticipant> participants = new ArrayList<>();
    private ArchiveLimits archiveLimits = ArchiveLimits.DEFAULTS;
    private Clock clock = Clock.systemUTC();
    private String node;
    private NodeCatalog nodeCatalog;
    private Duration leaseTtl = DEFAULT_LEASE_TTL;
    private PolicyCatalog policyCatalog;
    private CronSchedules cronSchedules;
    private Duration policyCatchUpWindow = DEFAULT_POLICY_CATCH_UP_WINDOW;
    private long verifyByteBudget = DEFAULT_VERIFY_BYTE_BUDGET;
    private Duration policyTickPeriod = DEFAULT_POLICY_TICK_PERIOD;

    /** How old a due time a policy still runs when no node ran it in time (it is recorded missed beyond). */
    public static final Duration DEFAULT_POLICY_CATCH_UP_WINDOW = Duration.ofHours(1);
    /** How many archive bytes one scheduled verification of a policy reads at most: 10 GiB. */
    public static final long DEFAULT_VERIFY_BYTE_BUDGET = 10L << 30;
    /** How often the policies are looked at: cron's resolution is a minute. */
    public static final Duration DEFAULT_POLICY_TICK_PERIOD = Duration.ofSeconds(5);
    private Consumer<ReconcileReport> reconciled = report -> { };

    /** How long a node of a cluster counts as alive after its last heartbeat, unless told otherwise. */
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(15);

    /** Prefer {@link Snapkeep#builder()}. */
    public SnapkeepBuilder() {
    }

    public SnapkeepBuilder archiveStore(ArchiveStore store) {
        this.archiveStore = store;
        return this;
    }

    public SnapkeepBuilder snapshotCatalog(SnapshotCatalog catalog) {
        this.snapshotCatalog = catalog;
        return this;
    }

    public SnapkeepBuilder executionCatalog(ExecutionCatalog catalog) {
        this.executionCatalog = catalog;
        return this;
    }

    public SnapkeepBuilder eventLog(ExecutionEventLog log) {
        this.eventLog = log;
        return this;
    }

    /** Adds a piece of state to capture; archives hold participants in the order they were added. */
    public SnapkeepBuilder participant(StateParticipant participant) {
        participants.add(Objects.requireNonNull(participant, "participant"));
        return this;
    }

    public SnapkeepBuilder participants(List<? extends StateParticipant> list) {
        list.forEach(this::participant);
        return this;
    }

    /** Bounds that reading an archive enforces (uploads and restores); sane defaults otherwise. */
    public SnapkeepBuilder archiveLimits(ArchiveLimits limits) {
        this.archiveLimits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    public SnapkeepBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * This process's node id: what its executions name as the node that runs them, and its name in a cluster.
     * Letters, digits, {@code .}, {@code _} and {@code -}, at most 100 characters. Default: the host name and a
     * random suffix, new for every process.
     */
    public SnapkeepBuilder node(String id) {
        String problem = problemWithNodeId(id);
        if (problem != null) {
            throw new IllegalArgumentException("Node id `" + id + "` is not usable: " + problem);
        }
        this.node = id;
        return this;
    }

    /**
     * Makes this Snapkeep a node of a cluster whose nodes share {@code catalog} (and the snapshot and execution
     * catalogs, and the archive store): it keeps a heartbeat lease there, takes its locks there, and takes over
     * the work of nodes whose lease ran out. Without it, the process must be the only one on its catalog.
     */
    public SnapkeepBuilder nodeCatalog(NodeCatalog catalog) {
        this.nodeCatalog = Objects.requireNonNull(catalog, "catalog");
        return this;
    }

    /** How long a node counts as alive after its last heartbeat; renewed five times per length. */
    public SnapkeepBuilder leaseTtl(Duration ttl) {
        if (ttl.compareTo(Duration.ofMillis(500)) < 0) {
            throw new IllegalArgumentException("A lease must last at least 500 ms, got " + ttl);
        }
        this.leaseTtl = ttl;
        return this;
    }

    /**
     * Where snapshot policies and their history are kept; with {@link #cronSchedules}, turns policies on. The
     * nodes of a cluster share it, as they share the other catalogs: its claims make each due time run once.
     */
    public SnapkeepBuilder policyCatalog(PolicyCatalog catalog) {
        this.policyCatalog = Objects.requireNonNull(catalog, "catalog");
        return this;
    }

    /** The reader of the policies' cron expressions; with {@link #policyCatalog}, turns policies on. */
    public SnapkeepBuilder cronSchedules(CronSchedules cron) {
        this.cronSchedules = Objects.requireNonNull(cron, "cron");
        return this;
    }

    /**
     * How old a due time may be and still run, when no node ran at it (all were down): the newest such due time
     * runs once at the next tick; older ones are recorded missed. Default {@link #DEFAULT_POLICY_CATCH_UP_WINDOW}.
     */
    public SnapkeepBuilder policyCatchUpWindow(Duration window) {
        if (window.isNegative()) {
            throw new IllegalArgumentException("The catch-up window must not be negative, got " + window);
        }
        this.policyCatchUpWindow = window;
        return this;
    }

    /**
     * How many archive bytes one scheduled verification of a policy reads at most (its first snapshot is read
     * whatever its size). Default {@link #DEFAULT_VERIFY_BYTE_BUDGET}.
     */
    public SnapkeepBuilder verifyByteBudget(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("The verification byte budget must be at least 1, got " + bytes);
        }
        this.verifyByteBudget = bytes;
        return this;
    }

    /**
     * How often this process looks for due policy work, on a daemon thread of its own, once started. Zero: no
     * thread (tests tick themselves). Default {@link #DEFAULT_POLICY_TICK_PERIOD}.
     */
    public SnapkeepBuilder policyTickPeriod(Duration period) {
        if (period.isNegative()) {
            throw new IllegalArgumentException("The policy tick period must not be negative, got " + period);
        }
        this.policyTickPeriod = period;
        return this;
    }

    /**
     * Told what every reconciliation that changed things did (not dry runs): the one at start-up, the sweeps
     * that take over a dead node's work, and those asked for. Called on the reconciling thread; it must be
     * quick and must not throw.
     */
    public SnapkeepBuilder onReconciled(Consumer<ReconcileReport> listener) {
        this.reconciled = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Why {@code id} cannot be a node id, or null when it can. */
    public static String problemWithNodeId(String id) {
        if (id == null || id.isEmpty()) {
            return "it is empty";
        }
        if (id.length() > 100) {
            return "it is longer than 100 characters";
        }
        if (!id.matches("[A-Za-z0-9._-]+")) {
            return "only letters, digits, '.', '_' and '-' may be used";
        }
        return null;
    }

    /**
     * The host name and a random suffix: unique enough for processes that are not given an id. The name is read,
     * never resolved: resolving it could ask a name server.
     */
    public static String defaultNodeId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hostname")).strip();
            } catch (java.io.IOException | RuntimeException e) {
                host = "";
            }
        }
        host = host.replaceAll("[^A-Za-z0-9._-]", "-");
        if (host.isEmpty()) {
            host = "node";
        }
        if (host.length() > 80) {
            host = host.substring(0, 80);
        }
        return host + "-" + java.util.HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(4)
                .putInt(new java.security.SecureRandom().nextInt()).array());
    }

    /**
     * A Snapkeep on these ports, not started yet.
     *
     * @throws NullPointerException     when a required port is missing
     * @throws IllegalArgumentException when a participant's name is not usable, or two share a name
     */
    public Snapkeep build() {
        Ports ports = new Ports(
                Objects.requireNonNull(archiveStore, "archiveStore is required"),
                Objects.requireNonNull(snapshotCatalog, "snapshotCatalog is required"),
                Objects.requireNonNull(executionCatalog, "executionCatalog is required"),
                Objects.requireNonNull(eventLog, "eventLog is required"),
                Ports.byName(participants), archiveLimits, clock);
        String nodeId = node == null ? defaultNodeId() : node;
        SnapshotEngine engine = new SnapshotEngine(ports, nodeId, nodeCatalog, leaseTtl, reconciled);
        if (policyCatalog != null && cronSchedules != null) {
            engine.enablePolicies(new PolicyEngine(policyCatalog, cronSchedules, ports, engine, nodeId,
                    policyCatchUpWindow, verifyByteBudget), policyTickPeriod);
        }
        return engine;
    }
}
