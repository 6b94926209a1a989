package io.snapkeep.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call a resource method. Without it a method is for {@code sys_admin} only, as every snapshot
 * action is in Cloudify.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@interface Access {
    Level value();

    enum Level {
        /** No credentials needed ({@code version}, {@code snapshot-status}: it must answer during a restore). */
        ANYONE,
        /** Any authenticated user ({@code status}, {@code tokens}, the login calls of the CLI). */
        AUTHENTICATED,
        /**
         * {@code sys_admin}, or a user holding one of the reader roles the host names
         * ({@link RestSettings#readerRoles()}, none by default): reading snapshots, executions and events, never
         * an archive's bytes (they can hold credentials) and never a change.
         */
        READER
    }
}
