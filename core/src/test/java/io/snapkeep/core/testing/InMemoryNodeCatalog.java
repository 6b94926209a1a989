package io.snapkeep.core.testing;

import io.snapkeep.core.port.out.NodeCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A {@link NodeCatalog} in two maps, one lock around every method: several engines in one JVM can share one. */
public class InMemoryNodeCatalog implements NodeCatalog {
    private final Map<String, NodeLease> nodes = new TreeMap<>();
    private final Map<String, String[]> locks = new TreeMap<>();

    @Override
    public synchronized Optional<NodeLease> join(NodeLease lease) {
        return Optional.ofNullable(nodes.put(lease.node(), lease));
    }

    @Override
    public synchronized boolean renew(String node, String instance, Instant expiresAt) {
        NodeLease current = nodes.get(node);
        if (current == null || !current.instance().equals(instance)) {
            return false;
        }
        nodes.put(node, new NodeLease(node, instance, current.startedAt(), expiresAt));
        return true;
    }

    @Override
    public synchronized void leave(String node, String instance) {
        NodeLease current = nodes.get(node);
        if (current != null && current.instance().equals(instance)) {
            nodes.remove(node);
        }
    }

    @Override
    public synchronized List<NodeLease> nodes() {
        return new ArrayList<>(nodes.values());
    }

    @Override
    public synchronized boolean removeExpired(String node, String instance, Instant now) {
        NodeLease current = nodes.get(node);
        if (current == null || !current.instance().equals(instance) || current.isLiveAt(now)) {
            return false;
        }
        nodes.remove(node);
        return true;
    }

    @Override
    public synchronized boolean tryLock(String name, String node, String instance, Instant now) {
        String[] holder = locks.get(name);
        if (holder != null && isLive(holder, now)) {
            return false;
        }
        locks.put(name, new String[] {node, instance});
        return true;
    }

    @Override
    public synchronized void unlock(String name, String node, String instance) {
        String[] holder = locks.get(name);
        if (holder != null && holder[0].equals(node) && holder[1].equals(instance)) {
            locks.remove(name);
        }
    }

    @Override
    public synchronized Optional<String> lockHolder(String name, Instant now) {
        String[] holder = locks.get(name);
        return holder != null && isLive(holder, now) ? Optional.of(holder[0]) : Optional.empty();
    }

    private boolean isLive(String[] holder, Instant now) {
        NodeLease lease = nodes.get(holder[0]);
        return lease != null && lease.instance().equals(holder[1]) && lease.isLiveAt(now);
    }
}
