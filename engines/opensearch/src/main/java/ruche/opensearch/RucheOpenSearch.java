package ruche.opensearch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * Why this class exists: Ruche's machines reach Maven Central but cannot download an OpenSearch
 * distribution. Node accepts plugins found on the classpath only through its protected
 * constructor, so this subclass starts one node with the modules the catalogue needs. It runs
 * without the distribution's bootstrap: no bootstrap checks, no security manager, no JNA
 * natives; that is fine for a throw-away node on 127.0.0.1 (scripts/opensearch starts it).
 */
public final class RucheOpenSearch extends Node {
    private static final List<Class<? extends Plugin>> MODULES = List.of(
        Netty4Plugin.class,          // HTTP on 9200 and transport
        CommonAnalysisPlugin.class,  // elision, asciifolding, stemmers, the french analyzer
        MapperExtrasPlugin.class,    // scaled_float, search_as_you_type
        ReindexPlugin.class,         // _reindex, _update_by_query, _delete_by_query
        PainlessPlugin.class);       // scripts

    private RucheOpenSearch(Environment environment) {
        super(environment, MODULES, true);
    }

    /** Arguments are settings, key=value, as the distribution's `-E key=value`. */
    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new HashMap<>();
        for (String arg : args) {
            String[] pair = arg.split("=", 2);
            settings.put(pair[0], pair[1]);
        }
        // The node's threads are daemons: main waits until SIGTERM has closed the node.
        CountDownLatch closed = new CountDownLatch(1);
        try {
            Environment environment = InternalSettingsPreparer.prepareEnvironment(
                Settings.EMPTY, settings, null, () -> "ruche");
            Node node = new RucheOpenSearch(environment);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    node.close();
                } catch (Exception e) {
                    e.printStackTrace();
                }
                closed.countDown();
            }));
            node.start();
        } catch (Exception e) {
            e.printStackTrace();
            System.err.println("OpenSearch could not start: " + e);
            System.exit(1);
        }
        closed.await();
    }
}
