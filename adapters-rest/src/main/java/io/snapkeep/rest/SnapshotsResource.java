package io.snapkeep.rest;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotField;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.port.in.CreateSnapshot;
import io.snapkeep.core.port.in.DownloadSnapshot;
import io.snapkeep.core.port.in.RestoreSnapshot;
import io.snapkeep.core.port.in.SnapshotService;
import io.snapkeep.core.port.in.UploadSnapshot;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;

/** {@code /snapshots}: list, get, create, delete, restore, verify, download and upload. */
@Path(Paths.VERSIONED + "/snapshots")
public final class SnapshotsResource {
    /** Large copies move far faster with big buffers; one per running download is cheap. */
    static final int COPY_BUFFER_BYTES = 256 * 1024;

    private final SnapshotService service;
    private final ArchiveUrlFetcher fetcher;

    @Context
    private ContainerRequestContext request;
    @Context
    private UriInfo uri;

    @Inject
    SnapshotsResource(SnapshotService service, ArchiveUrlFetcher fetcher) {
        this.service = service;
        this.fetcher = fetcher;
    }

    @Access(Access.Level.READER)
    @GET
    public Response list() {
        ListParameters<SnapshotField> p = ListParameters.parse(uri.getQueryParameters(), ListParameters.SNAPSHOT_FIELDS);
        Page<Snapshot> page = p.matchesNone()
                ? new Page<>(List.of(), 0, p.query().offset(), p.query().size())
                : service.listSnapshots(p.query());
        return json(200, Representations.list(page, s -> Representations.project(Representations.snapshot(s), p.include())));
    }

    /** {@code PUT /snapshots/} (an empty id) is a bad id, not a wrong method. */
    @PUT
    public Response createWithoutId() {
        return create("");
    }

    @Access(Access.Level.READER)
    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        Set<String> include = ListParameters.include(uri.getQueryParameters(), Representations.SNAPSHOT_KEYS);
        Snapshot s = service.getSnapshot(Callers.existingSnapshotId(id));
        return json(200, Representations.project(Representations.snapshot(s), include));
    }

    @PUT
    @Path("{id}")
    public Response create(@PathParam("id") String id) {
        SnapshotId snapshotId = Callers.newSnapshotId(id);
        RequestOptions options = RequestOptions.read(request.getEntityStream(), request.getMediaType(),
                uri.getQueryParameters());
        Execution e = service.create(new CreateSnapshot.CreateCommand(snapshotId, options.createOptions(),
                Callers.userName(request)));
        return json(201, Representations.execution(e));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        Snapshot deleted = service.delete(Callers.existingSnapshotId(id));
        return json(200, Representations.snapshot(deleted));
    }

    @POST
    @Path("{id}/restore")
    public Response restore(@PathParam("id") String id) {
        SnapshotId snapshotId = Callers.existingSnapshotId(id);
        RequestOptions options = RequestOptions.read(request.getEntityStream(), request.getMediaType(),
                uri.getQueryParameters());
        Execution e = service.restore(new RestoreSnapshot.RestoreCommand(snapshotId, options.restoreOptions(),
                Callers.userName(request)));
        return json(200, Representations.execution(e));
    }

    /** Reads the archive back in full; a damaged one also turns its snapshot failed. */
    @POST
    @Path("{id}/verify")
    public Response verify(@PathParam("id") String id) {
        return json(200, Representations.verification(service.verify(Callers.existingSnapshotId(id))));
    }

    @GET
    @Path("{id}/archive")
    public Response download(@PathParam("id") String id, @HeaderParam("Range") String range,
                             @HeaderParam("If-Range") String ifRange) {
        SnapshotId snapshotId = Callers.existingSnapshotId(id);
        DownloadSnapshot.Download download = service.download(snapshotId);
        long size = download.size();
        String etag = "\"" + download.sha256() + "\"";
        // A resumed download of an archive that changed meanwhile must start over, not splice two archives.
        boolean rangeApplies = ifRange == null || ifRange.strip().equals(etag);
        ByteRange part = rangeApplies ? ByteRange.parse(range, size) : null;
        long offset = part == null ? 0 : part.offset();
        long length = part == null ? size : part.length();
        InputStream in = length == 0 ? InputStream.nullInputStream() : download.open(offset, length);
        StreamingOutput body = out -> copy(in, out);
        Response.ResponseBuilder r = Response.status(part == null ? 200 : 206)
                .type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .entity(body)
                .header("Content-Length", length)
                .header("Content-Disposition", "attachment; filename=" + snapshotId.value() + ".zip")
                .header("Cache-Control", "no-cache")
                .header("ETag", etag)
                .header("Accept-Ranges", "bytes");
        if (part != null) {
            r.header("Content-Range", part.contentRange(size));
        }
        return r.build();
    }

    @PUT
    @Path("{id: [^/]*}/archive")
    public Response upload(@PathParam("id") String id, @QueryParam("snapshot_archive_url") String url) {
        SnapshotId snapshotId = Callers.newSnapshotId(id);
        String user = Callers.userName(request);
        Snapshot s;
        if (url != null && !url.isBlank()) {
            // The request's own body (CloudifyJS sends `false`) is ignored.
            s = fetcher.upload(service, snapshotId, url.strip(), user);
        } else {
            // The raw stream, whatever the Content-Type says: the Python client labels the zip application/json.
            // Content-Length, when the client sends one, gives the upload's progress its total.
            s = service.upload(new UploadSnapshot.UploadCommand(snapshotId, request.getEntityStream(), user,
                    request.getLength()));
        }
        return json(201, Representations.snapshot(s));
    }

    static Response json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    /**
     * Copies the archive to the client. When the archive's stream fails (the engine found it damaged or the
     * store failed, and has logged it once) the copy stops short: the response ends with fewer bytes than its
     * Content-Length, which makes the container cut the connection, so the client sees an incomplete
     * download; it is not thrown on, since after the headers nothing can be answered and Jersey would only log
     * it a second time. A client that goes away is thrown on as before.
     */
    private static void copy(InputStream in, OutputStream out) throws IOException {
        try (in) {
            byte[] buffer = new byte[COPY_BUFFER_BYTES];
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException sourceFailed) {
                    return;
                }
                if (n < 0) {
                    return;
                }
                out.write(buffer, 0, n);
            }
        }
    }
}
