package io.snapkeep.rest;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Which addresses a {@code snapshot_archive_url} fetch refuses unless the operator opens their range: every
 * address that is not a public unicast one. A pure function of the address's bits: no lookup, no connection.
 *
 * <p>An IPv6 address that carries an IPv4 address (IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible
 * {@code ::/96}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) is judged by that IPv4 address.
 */
final class AddressRules {

    private record Rule(NetworkRange range, String kind) {
    }

    private static final List<Rule> REFUSED = List.of(
            rule("0.0.0.0/8", "unspecified"),
            rule("10.0.0.0/8", "private"),
            rule("100.64.0.0/10", "carrier-grade NAT"),
            rule("127.0.0.0/8", "loopback"),
            rule("169.254.0.0/16", "link-local"),
            rule("172.16.0.0/12", "private"),
            rule("192.0.0.0/24", "reserved"),
            rule("192.168.0.0/16", "private"),
            rule("198.18.0.0/15", "reserved"),
            rule("224.0.0.0/4", "multicast"),
            rule("240.0.0.0/4", "reserved"),
            rule("::/128", "unspecified"),
            rule("::1/128", "loopback"),
            rule("100::/64", "reserved"),
            rule("fc00::/7", "unique-local"),
            rule("fe80::/10", "link-local"),
            rule("fec0::/10", "site-local"),
            rule("ff00::/8", "multicast"));

    private static final NetworkRange MAPPED = NetworkRange.parse("::ffff:0:0/96");
    private static final NetworkRange COMPATIBLE = NetworkRange.parse("::/96");
    private static final NetworkRange NAT64 = NetworkRange.parse("64:ff9b::/96");
    private static final NetworkRange SIX_TO_FOUR = NetworkRange.parse("2002::/16");

    private AddressRules() {
    }

    /**
     * The IPv4 address an IPv6 address carries (IPv4-mapped, IPv4-compatible, NAT64, 6to4), else the
     * address itself. {@code ::} and {@code ::1} stay IPv6.
     */
    static InetAddress unwrapped(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        int from;
        if (MAPPED.contains(address) || NAT64.contains(address)) {
            from = 12;
        } else if (COMPATIBLE.contains(address)) {
            if (b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1)) {
                return address;
            }
            from = 12;
        } else if (SIX_TO_FOUR.contains(address)) {
            from = 2;
        } else {
            return address;
        }
        try {
            return InetAddress.getByAddress(new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Why {@code address} is refused by default ({@code "loopback"}, {@code "private"}, ...), or null for a
     * public unicast address. The address is unwrapped first.
     */
    static String refusal(InetAddress address) {
        InetAddress a = unwrapped(address);
        for (Rule r : REFUSED) {
            if (r.range().contains(a)) {
                return r.kind();
            }
        }
        return null;
    }

    private static Rule rule(String cidr, String kind) {
        return new Rule(NetworkRange.parse(cidr), kind);
    }
}
