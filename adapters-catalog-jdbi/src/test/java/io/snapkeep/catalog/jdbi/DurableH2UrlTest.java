package io.snapkeep.catalog.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The settings the catalog adds to an H2 URL, and those it leaves to the URL. */
class DurableH2UrlTest {
    @Test
    void a_plain_file_url_gets_writes_at_commit_appending_and_no_close_on_exit() {
        assertThat(JdbiCatalog.durable("jdbc:h2:/var/lib/snapkeep/catalog")).isEqualTo(
                "jdbc:h2:/var/lib/snapkeep/catalog;WRITE_DELAY=0;REUSE_SPACE=FALSE;DB_CLOSE_ON_EXIT=FALSE");
    }

    @Test
    void settings_the_url_names_are_kept_whatever_their_case() {
        assertThat(JdbiCatalog.durable("jdbc:h2:./c;write_delay=100;Reuse_Space=TRUE;db_close_on_exit=TRUE"))
                .isEqualTo("jdbc:h2:./c;write_delay=100;Reuse_Space=TRUE;db_close_on_exit=TRUE");
    }

    @Test
    void a_file_shared_through_auto_server_keeps_h2s_close_on_exit_which_it_requires() {
        assertThat(JdbiCatalog.durable("jdbc:h2:./c;AUTO_SERVER=TRUE"))
                .isEqualTo("jdbc:h2:./c;AUTO_SERVER=TRUE;WRITE_DELAY=0;REUSE_SPACE=FALSE");
    }
}
