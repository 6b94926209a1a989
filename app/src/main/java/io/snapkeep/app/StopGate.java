package io.snapkeep.app;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Counts running requests so that an orderly stop waits for them, and once the stop has begun answers every
 * new request 503 in the API's error body. (The listener closes at the same moment, so these are requests on
 * connections that were already open.)
 */
final class StopGate extends GracefulHandler {
    static final String STOPPING = "Snapkeep is shutting down and takes no new requests; try again once it is back";

    StopGate(Handler handler) {
        super(handler);
    }

    @Override
    protected void handleShutdownRejection(Request request, Response response, Callback callback) {
        Response.writeError(request, response, callback, 503, STOPPING);
    }
}
