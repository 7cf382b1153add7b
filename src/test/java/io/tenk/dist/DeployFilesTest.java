package io.tenk.dist;

import io.tenk.config.ConfigFile;
import io.tenk.config.ServerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container and Kubernetes examples under deploy/ hold together: the YAML parses, each object
 * has the kind and API version it should, the probes ask the admin port's /readyz and /healthz,
 * the ports, labels and names refer to each other, the site is mounted read-only, the grace period
 * covers tenk's stop delay and shutdown timeout, and both config files load in tenk and agree.
 * Not checked here: the schemas of a real cluster (no API server), nor a build of the image.
 */
class DeployFilesTest {
    static final Path DEPLOY = Path.of("deploy");
    static Map<String, Map<String, Object>> objects; // by kind
    @TempDir static Path siteRoot;

    @BeforeAll static void read() throws Exception {
        objects = new java.util.LinkedHashMap<>();
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        for (Object doc : yaml.loadAll(Files.readString(DEPLOY.resolve("kubernetes/tenk.yaml")))) {
            Map<String, Object> o = map(doc);
            objects.put((String) o.get("kind"), o);
        }
    }

    @Test void kindsAndApiVersions() {
        assertEquals(Map.of("ConfigMap", "v1", "Deployment", "apps/v1", "Service", "v1", "HorizontalPodAutoscaler", "autoscaling/v2"),
                objects.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get("apiVersion"))));
    }

    @Test void podAsksTheAdminPortAndMountsTheSiteReadOnly() throws Exception {
        Map<String, Object> pod = at(objects.get("Deployment"), "spec", "template", "spec");
        Map<String, Object> c = map(list(pod.get("containers")).getFirst());
        assertEquals(Map.of("path", "/readyz", "port", "admin"), at(c, "readinessProbe", "httpGet"));
        assertEquals(Map.of("path", "/healthz", "port", "admin"), at(c, "livenessProbe", "httpGet"));
        Map<String, Integer> ports = new java.util.HashMap<>();
        for (Object p : list(c.get("ports"))) ports.put((String) map(p).get("name"), (Integer) map(p).get("containerPort"));
        ServerConfig config = configMapConfig();
        assertEquals(config.listen().getFirst().port(), ports.get("http"), "the http port is where tenk listens");
        assertEquals(config.observe().admin().port(), ports.get("admin"), "the admin port is the admin listener's");

        Map<String, Object> mount = list(c.get("volumeMounts")).stream().map(DeployFilesTest::map)
                .filter(m -> "/srv/www".equals(m.get("mountPath"))).findFirst().orElseThrow();
        assertEquals(true, mount.get("readOnly"));
        Map<String, Object> volume = list(pod.get("volumes")).stream().map(DeployFilesTest::map)
                .filter(v -> v.get("name").equals(mount.get("name"))).findFirst().orElseThrow();
        assertEquals(true, at(volume, "persistentVolumeClaim").get("readOnly"));
        assertEquals(true, at(c, "securityContext").get("readOnlyRootFilesystem"));

        long grace = ((Integer) pod.get("terminationGracePeriodSeconds")).longValue();
        long needed = config.observe().drainDelay().plus(config.timeouts().shutdown()).toSeconds();
        assertTrue(grace > needed, "grace " + grace + " s covers drain_delay + shutdown (" + needed + " s)");
    }

    @Test void serviceAndAutoscalerPointAtTheDeployment() {
        Map<String, Object> deployment = objects.get("Deployment");
        Map<String, Object> podLabels = at(deployment, "spec", "template", "metadata", "labels");
        assertEquals(at(deployment, "spec", "selector", "matchLabels"), podLabels);
        Map<String, Object> service = objects.get("Service");
        assertEquals(podLabels, at(service, "spec", "selector"));
        assertEquals("http", map(list(at(service, "spec").get("ports")).getFirst()).get("targetPort"));
        Map<String, Object> target = at(objects.get("HorizontalPodAutoscaler"), "spec", "scaleTargetRef");
        assertEquals(Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", at(deployment, "metadata").get("name")), target);
    }

    /** The ConfigMap's tenk.toml and the image's loads in tenk (the site root stands in for the volume) and they agree. */
    @Test void theConfigMapIsTheImagesConfig() throws Exception {
        ServerConfig image = load(Files.readString(DEPLOY.resolve("container/tenk.toml")));
        // every setting but the compiled rules, which compare by identity (there are none)
        assertEquals(image.toString().replaceAll("RuleSet@\\w+", "RuleSet"), configMapConfig().toString().replaceAll("RuleSet@\\w+", "RuleSet"));
    }

    /** The Containerfile adds the archive scripts/dist.sh makes and copies files that exist; it exposes tenk's ports. */
    @Test void containerfileMatchesTheDistribution() throws Exception {
        String cf = Files.readString(DEPLOY.resolve("container/Containerfile"));
        assertTrue(cf.contains("ADD target/tenk-${VERSION}-linux-x64.tar.gz /opt/"), cf);
        assertTrue(Files.readString(Path.of("scripts/dist.sh")).contains("target/$NAME-linux-x64.tar.gz"));
        Matcher copy = Pattern.compile("(?m)^COPY (\\S+) ").matcher(cf);
        while (copy.find()) assertTrue(Files.exists(Path.of(copy.group(1))), copy.group(1));
        ServerConfig config = configMapConfig();
        assertTrue(cf.contains("EXPOSE " + config.listen().getFirst().port() + " " + config.observe().admin().port()), cf);
        assertTrue(cf.contains("USER 65532:65532"), cf);
    }

    private static ServerConfig configMapConfig() {
        return load((String) at(objects.get("ConfigMap"), "data").get("tenk.toml"));
    }

    private static ServerConfig load(String toml) {
        Path r = siteRoot.toAbsolutePath();
        return ConfigFile.parse(toml.replace("\"/srv/www\"", "\"" + r + "\""), Path.of("tenk.toml"), ServerConfig.defaults(r));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) { return (Map<String, Object>) o; }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) { return new ArrayList<>((List<Object>) o); }

    static Map<String, Object> at(Map<String, Object> m, String... path) {
        for (String p : path) m = map(m.get(p));
        return m;
    }
}
