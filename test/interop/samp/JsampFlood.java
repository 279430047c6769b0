/*
 * A JSAMP client that floods one recipient with coord.pointAt.sky notifications, several in
 * flight at once, and prints how many the hub accepted. It declares no metadata (no samp.name),
 * like the sender in issue #19. Run as a single-file program (needs a JDK's compiler):
 *   java -cp /usr/share/java/jsamp.jar JsampFlood.java RECIPIENT_NAME COUNT IN_FLIGHT
 * Output: "FLOOD sent=N failed=M ms=T" on stdout; the first failures on stderr.
 */
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.astrogrid.samp.Message;
import org.astrogrid.samp.Metadata;
import org.astrogrid.samp.client.DefaultClientProfile;
import org.astrogrid.samp.client.HubConnection;

public class JsampFlood {
    public static void main(String[] args) throws Exception {
        String name = args[0];
        int count = Integer.parseInt(args[1]);
        int inFlight = Integer.parseInt(args[2]);
        HubConnection conn = DefaultClientProfile.getProfile().register();
        if (conn == null) {
            System.err.println("no SAMP hub");
            System.exit(2);
        }
        String target = null;
        for (String id : conn.getRegisteredClients()) {
            Metadata meta = conn.getMetadata(id);
            if (meta != null && name.equalsIgnoreCase(String.valueOf(meta.getName()))) target = id;
        }
        if (target == null) {
            System.err.println("no client named " + name);
            System.exit(3);
        }
        final String recipient = target;
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(inFlight);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            final int k = i;
            pool.submit(() -> {
                Message msg = new Message("coord.pointAt.sky");
                msg.addParam("ra", String.format(Locale.ROOT, "%.6f", (k * 7.919) % 360.0));
                msg.addParam("dec", String.format(Locale.ROOT, "%.6f", ((k * 3.137) % 150.0) - 75.0));
                try {
                    conn.notify(recipient, msg);
                    sent.incrementAndGet();
                } catch (Exception e) {
                    if (failed.incrementAndGet() <= 5) System.err.println("notify " + k + " failed: " + e);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.MINUTES);
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("FLOOD sent=" + sent.get() + " failed=" + failed.get() + " ms=" + ms);
        conn.unregister();
    }
}
