package io.snapkeep.app;

import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Holds the requests that arrive while the engine still starts (recovery and reconciliation run before any
 * request may reach it), and lets them through once it has started. Jetty and Jersey start meanwhile, a
 * second of class loading and wiring that needs nothing of the engine, so the server serves that much
 * sooner. A request that arrives after a failed start is answered 503; the process is then on its way out.
 */
final class StartGate extends Handler.Wrapper {
    static final String NOT_STARTED = "Snapkeep could not start; see its log";

    private final CountDownLatch decided = new CountDownLatch(1);
    private volatile boolean started;

    StartGate(Handler handler) {
        super(handler);
    }

    /** A gate that is open from the start: for servers whose engine has started before Jetty. */
    static StartGate opened(Handler handler) {
        StartGate gate = new StartGate(handler);
        gate.open();
        return gate;
    }

    /** The engine has started: every held request, and every later one, goes on. */
    void open() {
        started = true;
        decided.countDown();
    }

    /** The engine's start failed: held and later requests are answered 503. */
    void fail() {
        decided.countDown();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (decided.getCount() > 0) {
            try {
                decided.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!started) {
            Response.writeError(request, response, callback, 503, NOT_STARTED);
            return true;
        }
        return super.handle(request, response, callback);
    }
}
