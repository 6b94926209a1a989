package io.snapkeep.core.application.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EntryTableTest {
    @Test
    void finds_every_entry_by_its_name_and_refuses_a_name_twice_as_it_grows() {
        EntryTable table = new EntryTable();
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            assertThat(table.add(table.fingerprint("participants/p/" + i), i % 2 == 0 ? 0 : 8, 100L * i)).isEqualTo(i);
            table.complete(i, 0xFFFF_FFF0L + (i % 16), i, 2L * i, sha(i));
        }

        assertThat(table.size()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            int e = table.find(table.fingerprint("participants/p/" + i));
            assertThat(e).isEqualTo(i);
            assertThat(table.add(table.fingerprint("participants/p/" + i), 0, 0)).isEqualTo(-1);
            assertThat(table.method(e)).isEqualTo(i % 2 == 0 ? 0 : 8);
            assertThat(table.offset(e)).isEqualTo(100L * i);
            assertThat(table.crc(e)).isEqualTo(0xFFFF_FFF0L + (i % 16));
            assertThat(table.compressed(e)).isEqualTo(i);
            assertThat(table.size(e)).isEqualTo(2L * i);
            assertThat(table.sha256Is(e, sha(i))).isTrue();
            assertThat(table.sha256Is(e, sha(i + 1))).isFalse();
        }
        assertThat(table.size()).isEqualTo(n);
        assertThat(table.expandedBytes()).isEqualTo((long) n * (n - 1));
        assertThat(table.find(table.fingerprint("participants/p/" + n))).isEqualTo(-1);
    }

    @Test
    void a_name_has_one_fingerprint_whether_given_as_text_or_bytes() {
        EntryTable table = new EntryTable();
        String name = "participants/p/é/ü.txt";
        assertThat(table.fingerprint(name)).containsExactly(table.fingerprint(name.getBytes(StandardCharsets.UTF_8)));
        assertThat(table.fingerprint(name)).isNotEqualTo(table.fingerprint(name + "x"));
    }

    private static byte[] sha(int i) {
        byte[] b = new byte[EntryTable.SHA256_BYTES];
        b[0] = (byte) i;
        b[31] = (byte) (i >> 8);
        return b;
    }
}
