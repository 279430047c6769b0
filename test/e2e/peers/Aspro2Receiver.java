/*
 * A JSAMP client registered as "Aspro2" that receives table.load.votable as ASPRO2 does: it
 * fetches the table from the message's url (ASPRO2 downloads non-file URLs) and answers the call
 * with samp.ok once the table is read, then writes the table to OUT_DIR/received-<n>.vot and
 * prints "RECEIVED <path> <bytes>". It stands in for ASPRO2, which cannot run here. Run as a
 * single-file program (needs a JDK's compiler):
 *   java -cp /usr/share/java/jsamp.jar Aspro2Receiver.java OUT_DIR
 */
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.astrogrid.samp.Message;
import org.astrogrid.samp.Metadata;
import org.astrogrid.samp.Response;
import org.astrogrid.samp.client.AbstractMessageHandler;
import org.astrogrid.samp.client.ClientProfile;
import org.astrogrid.samp.client.DefaultClientProfile;
import org.astrogrid.samp.client.HubConnection;
import org.astrogrid.samp.client.HubConnector;

public class Aspro2Receiver {
    public static void main(String[] args) throws Exception {
        final Path outDir = Paths.get(args[0]);
        final AtomicInteger count = new AtomicInteger();
        ClientProfile profile = DefaultClientProfile.getProfile();
        HubConnector connector = new HubConnector(profile);
        Metadata meta = new Metadata();
        meta.setName("Aspro2");
        meta.setDescriptionText("Stand-in for ASPRO2 in the SPICA Companion tests");
        connector.declareMetadata(meta);
        connector.addMessageHandler(new AbstractMessageHandler("table.load.votable") {
            public Map processCall(HubConnection conn, String senderId, Message msg) throws Exception {
                String url = (String) msg.getParam("url");
                byte[] table;
                try (InputStream in = new URL(url).openStream()) {
                    table = in.readAllBytes();
                }
                Path file = outDir.resolve("received-" + count.incrementAndGet() + ".vot");
                Files.write(file, table);
                System.out.println("RECEIVED " + file + " " + table.length);
                System.out.flush();
                return null;
            }
        });
        connector.declareSubscriptions(connector.computeSubscriptions());
        connector.setAutoconnect(1);
        for (int i = 0; i < 200 && !connector.isConnected(); i++) Thread.sleep(100);
        System.out.println(connector.isConnected() ? "REGISTERED" : "NO HUB");
        System.out.flush();
        Thread.currentThread().join();
    }
}
