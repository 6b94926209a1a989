package io.snapkeep.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v3.1/openapi.json}: the OpenAPI document of every route this API serves. Open to anyone:
 * it says nothing the public contract does not.
 */
@Path(ApiDocumentResource.PATH)
@Access(Access.Level.ANYONE)
public final class ApiDocumentResource {
    static final String PATH = "/api/v3.1/openapi.json";
    /** The document's class path resource, beside this class. */
    static final String RESOURCE = "openapi.json";

    private static final byte[] DOCUMENT = load();

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] document() {
        return DOCUMENT.clone();
    }

    static byte[] load() {
        try (InputStream in = ApiDocumentResource.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The API document " + RESOURCE + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("The API document " + RESOURCE + " could not be read", e);
        }
    }
}
