package io.snapkeep.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The address rules of {@code snapshot_archive_url} as pure functions of already-parsed addresses: every
 * address here is built from its bytes, never looked up, and nothing connects to it.
 */
class AddressRulesTest {

    static InetAddress v4(int a, int b, int c, int d) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    }

    /** An IPv6 address from its eight 16-bit groups, kept IPv6 even when it is IPv4-mapped. */
    static InetAddress v6(int... groups) throws UnknownHostException {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[2 * i] = (byte) (groups[i] >> 8);
            b[2 * i + 1] = (byte) groups[i];
        }
        return Inet6Address.getByAddress(null, b, -1);
    }

    @Test
    void refusesEveryNonPublicIpv4Range() throws Exception {
        assertThat(AddressRules.refusal(v4(127, 0, 0, 1))).isEqualTo("loopback");
        assertThat(AddressRules.refusal(v4(127, 255, 1, 2))).isEqualTo("loopback");
        assertThat(AddressRules.refusal(v4(169, 254, 169, 254))).isEqualTo("link-local");
        assertThat(AddressRules.refusal(v4(10, 1, 2, 3))).isEqualTo("private");
        assertThat(AddressRules.refusal(v4(172, 16, 0, 1))).isEqualTo("private");
        assertThat(AddressRules.refusal(v4(172, 31, 255, 255))).isEqualTo("private");
        assertThat(AddressRules.refusal(v4(192, 168, 0, 1))).isEqualTo("private");
        assertThat(AddressRules.refusal(v4(100, 64, 0, 1))).isEqualTo("carrier-grade NAT");
        assertThat(AddressRules.refusal(v4(100, 127, 255, 255))).isEqualTo("carrier-grade NAT");
        assertThat(AddressRules.refusal(v4(0, 0, 0, 0))).isEqualTo("unspecified");
        assertThat(AddressRules.refusal(v4(224, 0, 0, 251))).isEqualTo("multicast");
        assertThat(AddressRules.refusal(v4(239, 255, 255, 250))).isEqualTo("multicast");
        assertThat(AddressRules.refusal(v4(255, 255, 255, 255))).isEqualTo("reserved");
    }

    @Test
    void passesPublicIpv4AddressesJustOutsideTheRanges() throws Exception {
        assertThat(AddressRules.refusal(v4(172, 32, 0, 1))).isNull();
        assertThat(AddressRules.refusal(v4(172, 15, 255, 255))).isNull();
        assertThat(AddressRules.refusal(v4(100, 128, 0, 1))).isNull();
        assertThat(AddressRules.refusal(v4(169, 253, 0, 1))).isNull();
        assertThat(AddressRules.refusal(v4(11, 0, 0, 1))).isNull();
        assertThat(AddressRules.refusal(v4(8, 8, 8, 8))).isNull();
    }

    @Test
    void refusesEveryNonPublicIpv6Range() throws Exception {
        assertThat(AddressRules.refusal(v6(0, 0, 0, 0, 0, 0, 0, 1))).isEqualTo("loopback");
        assertThat(AddressRules.refusal(v6(0, 0, 0, 0, 0, 0, 0, 0))).isEqualTo("unspecified");
        assertThat(AddressRules.refusal(v6(0xfe80, 0, 0, 0, 0, 0, 0, 1))).isEqualTo("link-local");
        assertThat(AddressRules.refusal(v6(0xfebf, 0, 0, 0, 0, 0, 0, 1))).isEqualTo("link-local");
        assertThat(AddressRules.refusal(v6(0xfc00, 0, 0, 0, 0, 0, 0, 1))).isEqualTo("unique-local");
        assertThat(AddressRules.refusal(v6(0xfd12, 0x3456, 0, 0, 0, 0, 0, 1))).isEqualTo("unique-local");
        assertThat(AddressRules.refusal(v6(0xff02, 0, 0, 0, 0, 0, 0, 1))).isEqualTo("multicast");
        assertThat(AddressRules.refusal(v6(0x2001, 0x4860, 0, 0, 0, 0, 0, 0x8888))).isNull();
    }

    @Test
    void ipv6AddressesCarryingIpv4AreJudgedByTheirIpv4Address() throws Exception {
        // ::ffff:127.0.0.1, kept IPv6
        assertThat(AddressRules.refusal(v6(0, 0, 0, 0, 0, 0xffff, 0x7f00, 1))).isEqualTo("loopback");
        // ::ffff:169.254.169.254
        assertThat(AddressRules.refusal(v6(0, 0, 0, 0, 0, 0xffff, 0xa9fe, 0xa9fe))).isEqualTo("link-local");
        // ::ffff:10.0.0.1 through InetAddress.getByAddress, which hands back the IPv4 address itself
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1};
        assertThat(AddressRules.refusal(InetAddress.getByAddress(mapped))).isEqualTo("private");
        // ::127.0.0.1 (IPv4-compatible), 64:ff9b::a9fe:a9fe (NAT64), 2002:c0a8:0101:: (6to4 of 192.168.1.1)
        assertThat(AddressRules.refusal(v6(0, 0, 0, 0, 0, 0, 0x7f00, 1))).isEqualTo("loopback");
        assertThat(AddressRules.refusal(v6(0x64, 0xff9b, 0, 0, 0, 0, 0xa9fe, 0xa9fe))).isEqualTo("link-local");
        assertThat(AddressRules.refusal(v6(0x2002, 0xc0a8, 0x0101, 0, 0, 0, 0, 0))).isEqualTo("private");
        // ::ffff:8.8.8.8 is as public as 8.8.8.8
        assertThat(AddressRules.refusal(v6(0, 0, 0, 0, 0, 0xffff, 0x0808, 0x0808))).isNull();
    }

    @Test
    void onlyDottedQuadsAndIpv6TextAreNetworkLiterals() {
        // Whatever a resolver would make of other text, the config's network literals are plain dotted quads
        // and IPv6 text only; the rules judge the address a resolver yields, never its spelling.
        for (String text : List.of("1.2.3.4.5", "256.0.0.1", "a.b.c.d", "", "1..2.3")) {
            assertThat(NetworkRange.literal(text)).as(text).isNull();
        }
    }

    @Test
    void networkRangesParseCidrAndContainTheirAddresses() throws Exception {
        NetworkRange loopbackOne = NetworkRange.parse("127.0.0.1/32");
        assertThat(loopbackOne.contains(v4(127, 0, 0, 1))).isTrue();
        assertThat(loopbackOne.contains(v4(127, 0, 0, 2))).isFalse();
        NetworkRange ten = NetworkRange.parse("10.0.0.0/8");
        assertThat(ten.contains(v4(10, 255, 0, 1))).isTrue();
        assertThat(ten.contains(v4(11, 0, 0, 1))).isFalse();
        assertThat(NetworkRange.parse("10.1.2.3/8")).isEqualTo(ten);
        assertThat(NetworkRange.parse("172.16.0.0/12").contains(v4(172, 31, 0, 1))).isTrue();
        assertThat(NetworkRange.parse("172.16.0.0/12").contains(v4(172, 32, 0, 1))).isFalse();
        NetworkRange ula = NetworkRange.parse("fd00::/8");
        assertThat(ula.contains(v6(0xfd00, 0, 0, 0, 0, 0, 0, 1))).isTrue();
        assertThat(ula.contains(v6(0xfc00, 0, 0, 0, 0, 0, 0, 1))).isFalse();
        assertThat(ula.contains(v4(10, 0, 0, 1))).isFalse();
        assertThat(NetworkRange.parse("::1").contains(v6(0, 0, 0, 0, 0, 0, 0, 1))).isTrue();
        assertThat(NetworkRange.parse("0.0.0.0/0").contains(v4(8, 8, 8, 8))).isTrue();
        assertThat(ten.toString()).isEqualTo("10.0.0.0/8");
        for (String bad : List.of("10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "not-a-network/8", "",
                "10.0.0/8", "a.b.c.d/8")) {
            assertThatThrownBy(() -> NetworkRange.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void allowedNetworksOpenRangesAlsoThroughMappedAddresses() throws Exception {
        UrlFetchPolicy closed = UrlFetchPolicy.DEFAULTS;
        assertThat(closed.allowsAddress(v4(127, 0, 0, 1))).isFalse();
        assertThat(closed.allowsAddress(v4(8, 8, 8, 8))).isTrue();
        UrlFetchPolicy open = closed.withAllowedNetworks(List.of(NetworkRange.parse("127.0.0.1/32"),
                NetworkRange.parse("10.0.0.0/8"), NetworkRange.parse("fd00::/8")));
        assertThat(open.allowsAddress(v4(127, 0, 0, 1))).isTrue();
        assertThat(open.allowsAddress(v6(0, 0, 0, 0, 0, 0xffff, 0x7f00, 1))).isTrue();
        assertThat(open.allowsAddress(v4(127, 0, 0, 2))).isFalse();
        assertThat(open.allowsAddress(v4(10, 20, 30, 40))).isTrue();
        assertThat(open.allowsAddress(v6(0xfd00, 0, 0, 0, 0, 0, 0, 5))).isTrue();
        assertThat(open.allowsAddress(v4(169, 254, 169, 254))).isFalse();
        assertThat(open.allowsAddress(v6(0, 0, 0, 0, 0, 0, 0, 1))).isFalse();
    }
}
