package io.snapkeep.participants.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Where a jdbc_tables participant's connections come from: a new one for every export and restore step. */
@FunctionalInterface
interface ConnectionSource {
    Connection open() throws SQLException;
}
