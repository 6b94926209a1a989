package io.snapkeep.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.domain.SnapshotId;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fetcher's resolution step: resolved once, every address checked, nothing connected to otherwise. */
class ArchiveUrlFetcherTest {
    static final UrlFetchPolicy LOCAL = UrlFetchPolicy.DEFAULTS.withAllowedNetworks(List.of(NetworkRange.parse("127.0.0.1/32")));

    static InetAddress v4(int a, int b, int c, int d) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    }

    @Test
    void aHostThatDoesNotResolveGetsTheOneFetchFailure() {
        // The resolver fails without a lookup; nothing is connected to.
        ArchiveUrlFetcher fetcher = new ArchiveUrlFetcher(LOCAL, host -> {
            throw new UnknownHostException(host);
        });
        FakeSnapshotService service = new FakeSnapshotService();
        assertThatThrownBy(() -> fetcher.upload(service, SnapshotId.of("a"), "http://127.0.0.1:9/x.zip", "admin"))
                .isInstanceOf(ApiError.class).hasMessage(ArchiveUrlFetcher.FETCH_FAILED);
    }

    @Test
    void everyResolvedAddressMustBeAllowed() throws Exception {
        InetAddress[] mixed = {v4(127, 0, 0, 1), v4(169, 254, 169, 254)};
        assertThatThrownBy(() -> ArchiveUrlFetcher.allowedAddresses("h", mixed, LOCAL))
                .isInstanceOf(ArchiveUrlFetcher.FetchRefused.class).hasMessageContaining("169.254.169.254")
                .hasMessageContaining("link-local");
        assertThatThrownBy(() -> ArchiveUrlFetcher.allowedAddresses("h", new InetAddress[0], LOCAL))
                .isInstanceOf(ArchiveUrlFetcher.FetchRefused.class);
        assertThat(ArchiveUrlFetcher.allowedAddresses("h", new InetAddress[] {v4(127, 0, 0, 1)}, LOCAL))
                .containsExactly(v4(127, 0, 0, 1));
        assertThat(ArchiveUrlFetcher.allowedAddresses("h", new InetAddress[] {v4(8, 8, 8, 8)}, UrlFetchPolicy.DEFAULTS))
                .containsExactly(v4(8, 8, 8, 8));
    }
}
