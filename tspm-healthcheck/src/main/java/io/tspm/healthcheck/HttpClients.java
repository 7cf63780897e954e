package io.tspm.healthcheck;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The HTTP clients of one supervisor's probes: one that verifies TLS, one that trusts any
 * certificate. They run on their own small executor, so blocking probes cannot starve them, and
 * do not follow redirects: a 3xx is itself the answer (in the default passing range). Closed with
 * the supervisor (a shared object): the executor's threads end then, idle ones after 30 s before;
 * each client's selector thread ends at the close on JDK 21+, and once the closed client is
 * garbage-collected on JDK 17, which has no way to shut a client down.
 */
final class HttpClients implements AutoCloseable {

    /** {@code HttpClient.shutdownNow()} and {@code awaitTermination(Duration)}, JDK 21+; null before. */
    private static final MethodHandle SHUTDOWN_NOW = method("shutdownNow", MethodType.methodType(void.class));
    private static final MethodHandle AWAIT_TERMINATION = method("awaitTermination",
            MethodType.methodType(boolean.class, Duration.class));

    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "tspm-http-probe");
                t.setDaemon(true);
                return t;
            });
    private HttpClient verifying;
    private HttpClient trustingAll;
    private boolean closed;

    HttpClients() {
        executor.allowCoreThreadTimeOut(true);
    }

    /** The client that verifies TLS; null once closed. */
    synchronized HttpClient verifying() {
        if (closed) {
            return null;
        }
        if (verifying == null) {
            verifying = HttpClient.newBuilder().executor(executor).connectTimeout(HttpProbe.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return verifying;
    }

    /** The client that trusts any certificate; null once closed. */
    synchronized HttpClient trustingAll() {
        if (closed) {
            return null;
        }
        if (trustingAll == null) {
            try {
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, new TrustManager[] {new TrustAll()}, null);
                trustingAll = HttpClient.newBuilder().executor(executor).connectTimeout(HttpProbe.connectTimeout())
                        .followRedirects(HttpClient.Redirect.NEVER).sslContext(ssl).build();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot build a TLS context", e);
            }
        }
        return trustingAll;
    }

    /** Shuts the clients down (JDK 21+), then the executor; drops the clients so JDK 17 can collect them. */
    @Override
    public void close() {
        List<HttpClient> clients = new ArrayList<>(2);
        synchronized (this) {
            closed = true;
            if (verifying != null) {
                clients.add(verifying);
            }
            if (trustingAll != null) {
                clients.add(trustingAll);
            }
            verifying = null;
            trustingAll = null;
        }
        if (SHUTDOWN_NOW != null) {
            for (HttpClient c : clients) {
                try {
                    SHUTDOWN_NOW.invoke(c);
                    // Requests in flight were aborted, so this returns at once; bounded all the same.
                    AWAIT_TERMINATION.invoke(c, Duration.ofSeconds(1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (Throwable e) {
                    // best effort: a client that cannot be shut down ends when it is collected
                }
            }
        }
        executor.shutdownNow();
    }

    private static MethodHandle method(String name, MethodType type) {
        try {
            return MethodHandles.publicLookup().findVirtual(HttpClient.class, name, type);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // JDK 17-20
        }
    }

    /** Trusts every certificate and skips host name checks: self-signed test servers only. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
