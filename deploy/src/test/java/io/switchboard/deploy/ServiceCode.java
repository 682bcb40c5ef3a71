package io.switchboard.deploy;

import io.smallrye.config.ConfigMappingInterface.Property;
import io.smallrye.config.ConfigMappings;
import io.switchboard.testing.ServiceProcess;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a service's code says about its configuration: its {@code application.properties} (every profile)
 * and its {@code @ConfigMapping} interface. The manifests are checked against this, not against a copy.
 */
record ServiceCode(String module, String configMapping) {

    static final List<ServiceCode> ALL = List.of(
            new ServiceCode("conversations-service", "io.switchboard.conversations.config.ConversationsConfig"),
            new ServiceCode("realtime-gateway", "io.switchboard.gateway.config.GatewayConfig"),
            new ServiceCode("metrics-service", "io.switchboard.metrics.config.MetricsConfig"));

    /**
     * Set only in the dev profile, and needed only there: the dev-profile token issuer
     * ({@code @IfBuildProfile("dev")}) signs with this key; production only verifies.
     */
    private static final Set<String> DEV_ONLY = Set.of("smallrye.jwt.sign.key.location");

    private static final Pattern PROFILE = Pattern.compile("^%[^.]+\\.");

    static ServiceCode of(String module) {
        return ALL.stream().filter(s -> s.module.equals(module)).findFirst()
                .orElseThrow(() -> new AssertionError("no service module " + module));
    }

    /** {@code application.properties} as written, profile prefixes included. */
    Properties applicationProperties() {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(ServiceProcess.repositoryRoot()
                .resolve(module).resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** The value in the prod profile: {@code %prod.key}, else {@code key}. */
    Optional<String> productionValue(String key) {
        Properties properties = applicationProperties();
        return Optional.ofNullable(properties.getProperty("%prod." + key, properties.getProperty(key)));
    }

    int httpPort() {
        return Integer.parseInt(productionValue("quarkus.http.port").orElse("8080"));
    }

    /** The service's own configuration mapping: property name -> its definition. */
    Map<String, Property> mappedProperties() {
        try {
            Class<?> type = Class.forName(configMapping);
            String prefix = type.getAnnotation(io.smallrye.config.ConfigMapping.class).prefix();
            return ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(type, prefix));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(configMapping + " is not on the test classpath", e);
        }
    }

    /** Every property name the service reads that its code names (Quarkus' own keys are checked at startup). */
    Set<String> knownProperties() {
        Set<String> known = new TreeSet<>(mappedProperties().keySet());
        for (String key : applicationProperties().stringPropertyNames()) {
            known.add(PROFILE.matcher(key).replaceFirst(""));
        }
        return known;
    }

    /**
     * Properties that have no value in the prod profile, so a deployment must set them: keys that only
     * the dev/test profiles set, and mapped properties that are neither optional nor defaulted.
     */
    Set<String> requiredInProduction() {
        Properties properties = applicationProperties();
        Map<String, Boolean> hasProductionValue = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            String bare = PROFILE.matcher(key).replaceFirst("");
            boolean production = key.equals(bare) || key.startsWith("%prod.");
            hasProductionValue.merge(bare, production, Boolean::logicalOr);
        }
        Map<String, Property> mapped = mappedProperties();
        Set<String> required = new TreeSet<>();
        hasProductionValue.forEach((key, production) -> {
            Property property = mapped.get(key);
            boolean defaulted = property != null && (property.hasDefaultValue() || property.isOptional());
            if (!production && !DEV_ONLY.contains(key) && !defaulted) {
                required.add(key);
            }
        });
        mapped.forEach((name, property) -> {
            if (property.isLeaf() && !property.isOptional() && !property.hasDefaultValue() && !hasProductionValue.getOrDefault(name, false)) {
                required.add(name);
            }
        });
        return required;
    }


    /** The environment variable MicroProfile Config reads for a property name. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
