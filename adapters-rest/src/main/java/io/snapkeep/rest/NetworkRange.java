package io.snapkeep.rest;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A range of addresses in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}, or one address with no
 * prefix length), parsed from literals only: never a name lookup.
 *
 * @param network the range's first address (the bits past the prefix are zero)
 * @param prefix  how many leading bits an address must share with {@code network}
 */
public record NetworkRange(InetAddress network, int prefix) {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)"
            + "(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    public NetworkRange {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix must be 0 to " + bits + ", got " + prefix);
        }
        byte[] masked = network.getAddress();
        for (int i = 0; i < masked.length; i++) {
            masked[i] &= mask(prefix, i);
        }
        network = byAddress(masked);
    }

    /**
     * Parses {@code 192.168.0.0/16}, {@code fc00::/7}, or a bare address (the range of that one address).
     *
     * @throws IllegalArgumentException what is wrong with {@code text}
     */
    public static NetworkRange parse(String text) {
        String t = Objects.requireNonNull(text, "text").strip();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        InetAddress parsed = literal(address);
        if (parsed == null) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 network in CIDR notation: \"" + text + "\"");
        }
        int bits = parsed.getAddress().length * 8;
        if (slash < 0) {
            return new NetworkRange(parsed, bits);
        }
        String length = t.substring(slash + 1);
        if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
            throw new IllegalArgumentException("the prefix length of \"" + text + "\" must be 0 to " + bits);
        }
        return new NetworkRange(parsed, Integer.parseInt(length));
    }

    /**
     * The address {@code text} spells as a plain dotted IPv4 address or an IPv6 literal, or null: never a
     * lookup, and none of the other spellings of IPv4 (octal, hex, fewer than four parts). An IPv4-mapped
     * IPv6 literal is kept as IPv6, so that it stays a range of IPv6 bits.
     */
    static InetAddress literal(String text) {
        if (IPV4.matcher(text).matches()) {
            byte[] b = new byte[4];
            String[] parts = text.split("\\.");
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) Integer.parseInt(parts[i]);
            }
            return byAddress(b);
        }
        if (text.indexOf(':') >= 0 && IPV6.matcher(text).matches()) {
            try {
                // Bracketed, the JDK reads it as an IPv6 literal or fails: it never looks the text up.
                InetAddress a = InetAddress.getByName("[" + text + "]");
                return a instanceof Inet4Address ? java.net.Inet6Address.getByAddress(null, mapped(a.getAddress()), -1) : a;
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    /** Whether {@code address} is in this range; an IPv4 address never is in an IPv6 range, nor the reverse. */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if ((a[i] & mask(prefix, i)) != (n[i] & 0xff & mask(prefix, i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }

    private static int mask(int prefix, int byteIndex) {
        int bitsHere = Math.max(0, Math.min(8, prefix - byteIndex * 8));
        return (0xff << (8 - bitsHere)) & 0xff;
    }

    private static byte[] mapped(byte[] v4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(v4, 0, b, 12, 4);
        return b;
    }

    private static InetAddress byAddress(byte[] b) {
        try {
            return b.length == 16 ? java.net.Inet6Address.getByAddress(null, b, -1) : InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
