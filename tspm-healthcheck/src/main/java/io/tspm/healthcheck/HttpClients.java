package io.tspm.healthcheck;

import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The HTTP clients of one supervisor's probes: one that verifies TLS, one that trusts any
 * certificate. They run on their own small executor, so blocking probes cannot starve them, and
 * do not follow redirects: a 3xx is itself the answer (in the default passing range).
 */
final class HttpClients {

    private final Executor executor = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "tspm-http-probe");
        t.setDaemon(true);
        return t;
    });
    private HttpClient verifying;
    private HttpClient trustingAll;

    synchronized HttpClient verifying() {
        if (verifying == null) {
            verifying = HttpClient.newBuilder().executor(executor).connectTimeout(HttpProbe.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return verifying;
    }

    synchronized HttpClient trustingAll() {
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
