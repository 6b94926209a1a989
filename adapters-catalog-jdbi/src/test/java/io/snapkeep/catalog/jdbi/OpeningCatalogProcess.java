package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.error.StorageUnavailableException;

/** Opens the H2 catalog at {@code args[0]} and closes it: exit 0 when it opened, 3 when it could not. */
final class OpeningCatalogProcess {
    private OpeningCatalogProcess() {
    }

    public static void main(String[] args) {
        try (JdbiCatalog catalog = JdbiCatalog.open(args[0], "sa", "")) {
            System.exit(0);
        } catch (StorageUnavailableException e) {
            System.out.println(e.getMessage());
            System.exit(3);
        }
    }
}
