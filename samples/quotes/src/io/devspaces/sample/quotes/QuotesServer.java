package io.devspaces.sample.quotes;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The leaf service of the DevSpaces sample: hands out quotes as JSON and reports which host and
 * space served them and which routing header it saw, so callers can check header propagation.
 */
public final class QuotesServer {
    static final String SERVICE = "quotes";
    static final String ROUTE_AS_HEADER = "devspaces-route-as";
    static final String BAGGAGE_HEADER = "baggage";

    private static final List<String[]> QUOTES = List.of(
            new String[] {"Simplicity is prerequisite for reliability.", "Edsger W. Dijkstra"},
            new String[] {"Make it work, make it right, make it fast.", "Kent Beck"},
            new String[] {"Premature optimization is the root of all evil.", "Donald Knuth"},
            new String[] {"Programs must be written for people to read.", "Harold Abelson"},
            new String[] {"The most effective debugging tool is still careful thought.", "Brian Kernighan"},
            new String[] {"Walking on water and developing software from a specification are easy if both are frozen.", "Edward V. Berard"},
            new String[] {"Testing shows the presence, not the absence of bugs.", "Edsger W. Dijkstra"},
            new String[] {"Deleted code is debugged code.", "Jeff Sickel"});

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String version;
    private final String hostname;
    private final String space;
    private final String runtime;
    private final AtomicLong served = new AtomicLong();
    private final PrintStream log;

    QuotesServer(String version, String hostname, String space, PrintStream log) {
        this.version = version;
        this.hostname = hostname;
        this.space = space;
        this.runtime = "java " + System.getProperty("java.version");
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        int port = parsePort(System.getenv("PORT"), 8080);
        String version = envOr("SERVICE_VERSION", "1.0.0");
        String space = envOr("DEVSPACES_SPACE", envOr("POD_NAMESPACE", "local"));
        QuotesServer app = new QuotesServer(version, hostname(), space, System.out);

        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("0.0.0.0", port), 0);
        } catch (IOException e) {
            System.err.printf("%s: cannot listen on 0.0.0.0:%d: %s%n", SERVICE, port, e.getMessage());
            System.exit(2);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        server.setExecutor(pool);
        server.createContext("/", app::handle);
        server.start();
        app.log.printf("%s %s listening on 0.0.0.0:%d (version %s, space %s, %s)%n",
                now(), SERVICE, port, version, space, app.runtime);
        app.log.flush();

        // The JVM runs shutdown hooks on SIGTERM; stop accepting, let in-flight requests finish.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.log.printf("%s %s received shutdown signal, draining%n", now(), SERVICE);
            server.stop(2);
            pool.shutdown();
            try {
                pool.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            app.log.printf("%s %s stopped%n", now(), SERVICE);
            app.log.flush();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Headers request = exchange.getRequestHeaders();
        String routeAs = request.getFirst(ROUTE_AS_HEADER);
        String baggage = request.getFirst(BAGGAGE_HEADER);
        int status;
        String body;
        try {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                status = 405;
                body = errorJson("method " + method + " not allowed; use GET");
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            } else if (path.equals("/healthz")) {
                status = 200;
                Map<String, Object> health = new LinkedHashMap<>();
                health.put("status", "ok");
                health.put("service", SERVICE);
                body = json(health);
            } else if (path.equals("/") || path.equals("/quote")) {
                status = 200;
                body = quoteJson(routeAs, baggage);
            } else {
                status = 404;
                body = errorJson("no route for " + path + "; try GET /quote or GET /healthz");
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } finally {
            exchange.close();
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        log.printf("%s %s %s %s %d %dms route-as=%s%n",
                now(), SERVICE, method, path, status, ms, routeAs == null ? "-" : routeAs);
        log.flush();
    }

    String quoteJson(String routeAs, String baggage) {
        String[] quote = QUOTES.get((int) (served.getAndIncrement() % QUOTES.size()));
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("text", quote[0]);
        q.put("author", quote[1]);
        Map<String, Object> body = identity(routeAs, baggage);
        body.put("quote", q);
        return json(body);
    }

    private Map<String, Object> identity(String routeAs, String baggage) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", SERVICE);
        body.put("version", version);
        body.put("runtime", runtime);
        body.put("hostname", hostname);
        body.put("space", space);
        body.put("routeAs", routeAs);
        body.put("baggage", baggage);
        return body;
    }

    private String errorJson(String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", SERVICE);
        body.put("error", message);
        return json(body);
    }

    static String json(Map<String, ?> map) {
        StringBuilder sb = new StringBuilder();
        writeValue(sb, map);
        return sb.toString();
    }

    private static void writeValue(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                writeString(sb, e.getKey().toString());
                sb.append(':');
                writeValue(sb, e.getValue());
            }
            sb.append('}');
        } else if (value instanceof Number || value instanceof Boolean) {
            sb.append(value);
        } else {
            writeString(sb, value.toString());
        }
    }

    private static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static String now() {
        return TIMESTAMP.format(Instant.now());
    }

    static int parsePort(String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            System.err.printf("%s: PORT must be a number between 1 and 65535, got '%s'%n", SERVICE, value);
            System.exit(2);
            return fallback;
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String hostname() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
