package io.snapkeep.core.archfixture;

import org.jdbi.v3.core.Jdbi;

/** A deliberately bad core class: it reaches for a framework. Only the architecture tests use it. */
public class CoreClassUsingJdbi {
    public Jdbi database() {
        return Jdbi.create("jdbc:h2:mem:x");
    }
}
