package io.snapkeep.app.it;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** What the packaged-jar tests read and write on disk: participant trees, digests, archives, a tar fixture. */
final class Disk {
    private Disk() {
    }

    /** A tree big enough that a create or restore is still running when a test looks: one large file, many small. */
    static void writeLargeTree(Path root) throws IOException {
        writeTree(root, 1, 384, 3000);
    }

    /**
     * Random content: one file of {@code largeMiB} MiB and {@code smallFiles} files of 4 KiB in 30 directories,
     * all different from a tree written with another {@code seed}.
     */
    static void writeTree(Path root, long seed, int largeMiB, int smallFiles) throws IOException {
        Files.createDirectories(root);
        byte[] block = new byte[1 << 20];
        new SplittableRandom(seed).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(root.resolve("large.bin"))) {
            for (int i = 0; i < largeMiB; i++) {
                block[i] ^= 1;
                out.write(block);
            }
        }
        byte[] small = new byte[4096];
        new SplittableRandom(seed + 1).nextBytes(small);
        for (int i = 0; i < smallFiles; i++) {
            Path dir = Files.createDirectories(root.resolve("d" + (i % 30)));
            small[0] = (byte) i;
            small[1] = (byte) (i >> 8);
            Files.write(dir.resolve("f" + i + ".json"), small);
        }
    }

    /**
     * A digest of the tree under {@code root}: every path, kind and file content, and with {@code withMetadata}
     * also the modification time and permissions of everything below the root.
     */
    static String treeDigest(Path root, boolean withMetadata) throws IOException {
        MessageDigest digest = sha256();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = new ArrayList<>(walk.sorted().toList());
        }
        for (Path p : paths) {
            String name = root.relativize(p).toString();
            boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            digest.update((name + (dir ? "/" : "") + "\n").getBytes(StandardCharsets.UTF_8));
            if (withMetadata && !p.equals(root)) {
                String meta = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() + " "
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                digest.update((meta + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (!dir) {
                try (InputStream in = Files.newInputStream(p)) {
                    in.transferTo(new DigestOut(digest));
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Inverts the byte in the middle of {@code file} (inside the data of an archive's large entry). */
    static void flipOneByte(Path file) throws IOException {
        try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            long at = c.size() / 2;
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            c.read(one, at);
            one.put(0, (byte) ~one.get(0)).rewind();
            c.write(one, at);
            c.force(true);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The files under {@code root} that hold exactly this archive (this size and SHA-256), whatever the store's
     * layout calls them.
     */
    static List<Path> filesHolding(Path root, long size, String sha256) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        List<Path> candidates;
        try (Stream<Path> walk = Files.walk(root)) {
            candidates = walk.filter(Files::isRegularFile).toList();
        }
        for (Path p : candidates) {
            if (Files.size(p) == size && sha256(p).equals(sha256)) {
                found.add(p);
            }
        }
        return found;
    }

    /** Unpacks a gzipped tar (ustar, with GNU long names) under {@code into}; returns what it wrote. */
    static List<Path> untarGz(InputStream tarGz, Path into) throws IOException {
        List<Path> written = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(tarGz))) {
            String longName = null;
            while (true) {
                byte[] header = in.readNBytes(512);
                if (header.length < 512 || isZero(header)) {
                    return written;
                }
                String name = longName != null ? longName : text(header, 0, 100);
                longName = null;
                String prefix = text(header, 345, 155);
                if (!prefix.isEmpty() && name.equals(text(header, 0, 100))) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(text(header, 124, 12).trim(), 8);
                char type = (char) header[156];
                byte[] content = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                if (type == 'L') {
                    longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
                    continue;
                }
                Path target = into.resolve(name).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("tar entry outside the target: " + name);
                }
                if (type == '5') {
                    Files.createDirectories(target);
                } else if (type == '0' || type == 0) {
                    Files.createDirectories(target.getParent());
                    Files.write(target, content);
                    written.add(target);
                } else {
                    throw new IOException("unexpected tar entry type " + type + " for " + name);
                }
            }
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    /** Feeds what is written into a digest. */
    private static final class DigestOut extends OutputStream {
        private final MessageDigest digest;

        DigestOut(MessageDigest digest) {
            this.digest = digest;
        }

        @Override
        public void write(int b) {
            digest.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
        }
    }
}
