package io.snapkeep.rest;

/** The API's URL prefixes. */
final class Paths {
    /** Every handler answers under each version prefix the clients use. */
    static final String VERSIONED = "/api/{version: v2|v2\\.1|v3|v3\\.1}";

    private Paths() {
    }
}
