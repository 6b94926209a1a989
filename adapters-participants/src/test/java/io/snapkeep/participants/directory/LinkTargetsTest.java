package io.snapkeep.participants.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class LinkTargetsTest {
    @Test
    void relativeTargetsThatStayInsideAreKept() {
        for (String[] kept : new String[][] {
            {"l", "a.txt"}, {"l", "."}, {"l", "dir/"}, {"l", "not/there"}, {"d/l", ".."}, {"d/e/l", "../../x"},
            {"d/l", "../d/./x//y"}, {"d/e/l", "../f/../../g"},
        }) {
            assertThat(LinkTargets.problem(kept[0], kept[1], Set.of(kept[0]))).as(kept[0] + " -> " + kept[1]).isNull();
        }
    }

    @Test
    void targetsThatCouldLeadOutsideAreRefused() {
        for (String[] refused : new String[][] {
            {"l", ""}, {"l", ".."}, {"l", "../resources/x"}, {"d/l", "../.."}, {"d/l", "x/../../.."},
            {"l", "/etc/passwd"}, {"l", "/"}, {"l", "a\\b"}, {"l", "a\0b"}, {"l", "C:/x"},
        }) {
            assertThat(LinkTargets.problem(refused[0], refused[1], Set.of(refused[0])))
                    .as(refused[0] + " -> " + refused[1]).isNotNull();
        }
    }

    @Test
    void dotDotOutOfAnotherLinkIsRefusedSinceItClimbsFromWhereThatLinkLeads() {
        Set<String> links = Set.of("d/root", "l");
        assertThat(LinkTargets.problem("d/root", "..", links)).isNull();
        assertThat(LinkTargets.problem("l", "d/root/../x", links)).contains("another link");
        assertThat(LinkTargets.problem("l", "d/root/x", links)).as("down through a link stays inside").isNull();
        assertThat(LinkTargets.problem("d/x", "root/..", links)).contains("another link");
    }
}
