package io.snapkeep.core.testing;

import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.core.port.out.StateParticipantContract;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

class MapParticipantTest extends StateParticipantContract {
    private MapParticipant map;

    @Override
    protected StateParticipant newParticipant() {
        map = new MapParticipant("resources", StateCategory.STATE);
        return map;
    }

    @Override
    protected void writeSampleState(int variant) {
        map.clear();
        if (variant == 1) {
            // "stream/" first in path order: exported through newEntry, the rest through addEntry.
            map.with("stream/events.log", "one\ntwo\n")
                    .with("x/y/random.bin", TestBytes.randomArray(1, 100_000))
                    .with("z-empty", new byte[0]);
        } else {
            map.with("a.txt", "other");
        }
    }

    @Override
    protected Object liveState() {
        Map<String, String> hex = new TreeMap<>();
        map.bytes().forEach((path, bytes) -> hex.put(path, HexFormat.of().formatHex(bytes)));
        return hex;
    }

    @Override
    protected List<TestEntry> exportHoldingLargeValue(long size) {
        return List.of(new TestEntry("big.bin", () -> generated(7, size)));
    }

    /**
     * 64 MiB, not several GiB: this participant holds its state in memory by design (one byte array per
     * entry, which cannot pass 2 GiB), so here the test shows only that a large entry passes whole.
     */
    @Override
    protected long largeValueSize() {
        return 64L << 20;
    }
}
